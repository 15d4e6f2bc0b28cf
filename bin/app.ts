/**
 * The CDK app: one `PitstopStack` per model of the config file.
 *
 * The config path comes from the CDK context key `config`
 * (`cdk synth -c config=path/to/pitstop.config.json`), default
 * `examples/pitstop.config.json`. The stacks are environment-agnostic and nothing
 * looks anything up, so `cdk synth` needs no credentials and no network.
 *
 * Two checks run at synth, each failing it on an unacknowledged finding: cdk-nag's
 * AwsSolutions pack and AWS Control Tower's proactive controls (infra/compliance).
 */
import { App } from 'aws-cdk-lib';
import { PitstopError } from '../vocabulary/errors';
import { applyControlTowerChecks } from '../infra/compliance/control-tower';
import { loadConfig } from '../vocabulary/config/index';
import { applyNag } from '../statemachines/nag';
import { PitstopStack, stackNameFor } from '../infra/stack';

/** Context key of the config path. */
export const CONFIG_CONTEXT_KEY = 'config';
/** Config used when the context does not name one. */
export const DEFAULT_CONFIG_PATH = 'examples/pitstop.config.json';

/** Builds and synthesizes the app. */
async function main(): Promise<void> {
  const app = new App();
  const configPath = String(app.node.tryGetContext(CONFIG_CONTEXT_KEY) ?? DEFAULT_CONFIG_PATH);
  const config = await loadConfig(configPath);
  for (const model of config.models) {
    new PitstopStack(app, stackNameFor(model), { model, pipeline: { compliance: config.compliance } });
  }
  applyNag(app);
  applyControlTowerChecks(app);
  app.synth();
}

try {
  await main();
} catch (error) {
  // A bad config is the user's to fix: print its one-line message, not a stack trace.
  if (error instanceof PitstopError) {
    process.stderr.write(`pitstop: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

/**
 * The CDK app: one `PitstopStack` per model of the config file.
 *
 * The config path comes from the CDK context key `config`
 * (`cdk synth -c config=path/to/pitstop.config.json`); without it the app synthesizes
 * nothing and says how to pass one, so a plain `cdk deploy` deploys nothing by
 * accident. The context key `stage` (`-c stage=staging`) replaces the config's `stage`.
 * The stacks are environment-agnostic and nothing looks anything up, so `cdk synth`
 * needs no credentials and no network.
 *
 * Two checks run at synth, each failing it on an unacknowledged finding: cdk-nag's
 * AwsSolutions pack and AWS Control Tower's proactive controls (infra/compliance).
 */
import { App } from 'aws-cdk-lib';
import { InputError, PitstopError } from '../vocabulary/errors';
import { inStage, MAX_QUALIFIED_NAME_LENGTH, stageProblem } from '../vocabulary/stages';
import { applyControlTowerChecks } from '../infra/compliance/control-tower';
import { loadConfig } from '../vocabulary/config/index';
import { applyNag } from '../statemachines/nag';
import { PitstopStack, stackNameFor } from '../infra/stack';

/** Context key of the config path. */
export const CONFIG_CONTEXT_KEY = 'config';
/** Context key of the stage, which replaces the config's `stage`. */
export const STAGE_CONTEXT_KEY = 'stage';

/** What the app says when no config is named. */
export const NO_CONFIG_MESSAGE =
  'pitstop: no config given, nothing to synthesize. Name one with the CDK context, e.g.\n' +
  '  npx cdk synth -c config=examples/pitstop.config.json\n' +
  '  npx cdk deploy --all -c config=pitstop.config.json [-c stage=staging]\n';

/** Builds and synthesizes the app. */
async function main(): Promise<void> {
  const app = new App();
  const configPath = app.node.tryGetContext(CONFIG_CONTEXT_KEY) as unknown;
  if (typeof configPath !== 'string' || configPath === '') {
    process.stderr.write(NO_CONFIG_MESSAGE);
    app.synth();
    return;
  }
  const config = await loadConfig(configPath);
  const stageContext = app.node.tryGetContext(STAGE_CONTEXT_KEY) as unknown;
  const stage = stageContext === undefined ? config.stage : String(stageContext);
  const problem = stage === undefined ? undefined : stageProblem(stage);
  if (problem) throw new InputError(`-c ${STAGE_CONTEXT_KEY}=${stage}: ${problem}`);
  for (const configured of config.models) {
    const model = inStage(configured, stage);
    if (model.name.length > MAX_QUALIFIED_NAME_LENGTH) {
      throw new InputError(`with stage "${stage}" the model "${configured.name}" is deployed as "${model.name}", ${model.name.length} characters; at most ${MAX_QUALIFIED_NAME_LENGTH}`);
    }
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

/**
 * A check of refactors that must not change behaviour: synthesizes the pipeline
 * stack for a fixed set of configs and writes, per config, the resolved state
 * machine definitions and the template with asset hashes masked (bundles change
 * when modules move; nothing else may).
 *
 *   npx tsx scripts/refactor-snapshot.ts <out-dir>          record
 *   diff -r before/ after/                                    compare
 *
 * Not a permanent snapshot test: record before the refactor, record after it,
 * compare the two folders.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig, parseConfig, type ModelConfigInput } from '../vocabulary/config/index';
import { applyNag } from '../statemachines/nag';
import { PitstopStack, stackNameFor } from '../infra/stack';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/refactor-snapshot.ts <out-dir>');

const example = await loadConfig('examples/pitstop.config.json');
const base = example.models[0]!;
const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1';
const tuning = { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } };
const minimal: ModelConfigInput = {
  name: 'churn',
  endpointName: 'churn-endpoint',
  problemType: 'binary',
  label: 'churned',
  features: [{ name: 'age', type: 'numeric' }, { name: 'plan', type: 'categorical' }],
  data: {
    training: 's3://churn-data/training/',
    holdout: 's3://churn-data/holdout/holdout.csv',
    captureUri: 's3://churn-capture/datacapture/',
    groundTruthUri: 's3://churn-data/ground-truth/',
  },
  training: { image },
};
const { features: _features, ...noFeatures } = minimal;
const variants: Record<string, { models: ModelConfigInput[]; compliance?: string }> = {
  minimal: { models: [minimal] },
  'manual-tuning': { models: [{ ...minimal, approval: { mode: 'manual' }, training: { image, tuning } } as ModelConfigInput] },
  spot: { models: [{ ...minimal, training: { image, managedSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 5400 } } as ModelConfigInput] },
  regression: { models: [{ ...minimal, problemType: 'regression', triggers: { quality: { metric: 'rmse', threshold: 3 } } } as ModelConfigInput] },
  governed: {
    compliance: 'control-tower',
    models: [{ ...minimal, network: { subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'], securityGroupIds: ['sg-0123456789abcdef0'] } } as ModelConfigInput],
  },
  // The optional features that change a definition or a template.
  multiclass: { models: [{ ...minimal, problemType: 'multiclass', classes: 4, triggers: { quality: { metric: 'accuracy', threshold: 0.8, comparison: 'lowerIsWorse' } } } as ModelConfigInput] },
  'no-features': { models: [noFeatures as ModelConfigInput] },
  'capture-preset': { models: [{ ...minimal, capture: { preset: 'xgboost', probabilityThreshold: 0.7 } } as ModelConfigInput] },
  'capture-attrs': { models: [{ ...minimal, capture: { features: 'instances[0].features', inference: 'predictions[0].label', probability: 'predictions[0].score' } } as ModelConfigInput] },
  artifacts: { models: [{ ...minimal, data: { ...minimal.data, artifactsUri: 's3://my-artifacts/pitstop/' } } as ModelConfigInput] },
  'custom-metric': { models: [{ ...minimal, canary: { customMetric: { namespace: 'Biz', metricName: 'Orders', dimensions: { Shop: 'eu' }, statistic: 'p90', threshold: 5, comparison: 'LessThanThreshold' }, smokeTest: { requests: 20, p99Ms: 300 } } } as ModelConfigInput] },
  monitor: { models: [{ ...minimal, monitor: { window: 'PT2H', captureLag: 'PT30M', labelDelay: 'PT6H', minRows: 10 }, triggers: { monitorSchedule: 'cron(0 */2 * * ? *)', retrainSchedules: ['cron(0 2 ? * SUN *)', 'rate(3 days)'], maxModelAgeDays: 10, retryAfterHours: 5 }, logRetentionDays: 30 } as ModelConfigInput] },
  'training-full': { models: [{ ...minimal, approval: { mode: 'manual', timeoutHours: 2 }, training: { image, inferenceImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:2', instanceCount: 2, volumeSizeGb: 50, metricDefinitions: [{ name: 'validation:f1', regex: 'f1=([0-9.]+)' }], tuning: { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, maxJobs: 4, maxParallelJobs: 1, ranges: { integer: [{ name: 'depth', min: 2, max: 8 }], categorical: [{ name: 'booster', values: ['gbtree', 'dart'] }] } } } } as ModelConfigInput] },
  'two-models': { models: [minimal, { ...minimal, name: 'fraud', endpointName: 'fraud-endpoint', problemType: 'regression' } as ModelConfigInput] },
};

/** Asset hashes (64 hex) and the zip names built from them. */
const mask = (text: string) => text.replace(/[0-9a-f]{64}/g, '<hash>');

function record(name: string, app: App, stacks: PitstopStack[]): void {
  applyNag(app);
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  for (const stack of stacks) {
    const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties?: { DefinitionString?: unknown } }> };
    writeFileSync(join(dir, `${stack.stackName}.template.json`), mask(JSON.stringify(json, null, 1)));
    for (const [id, resource] of Object.entries(json.Resources)) {
      if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
      writeFileSync(join(dir, `${stack.stackName}.${id}.definition.json`), mask(JSON.stringify(resource.Properties?.DefinitionString, null, 1)));
    }
  }
}

{
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  record('example', app, [new PitstopStack(app, stackNameFor(base), { model: base, pipeline: { compliance: example.compliance } })]);
}
for (const [name, variant] of Object.entries(variants)) {
  const config = parseConfig({ models: variant.models, ...(variant.compliance ? { compliance: variant.compliance } : {}) });
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  record(name, app, config.models.map((m) => new PitstopStack(app, stackNameFor(m), { model: m, pipeline: { compliance: config.compliance } })));
}
process.stdout.write(`recorded ${Object.keys(variants).length + 1} configs under ${out}\n`);

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../vocabulary/config/index';
import { configOf, issuesOf, minimalModel } from './fixtures';

const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:latest';
const dataWith = (field: string, uri: string) => ({ ...(minimalModel().data as object), [field]: uri });

/** Each case: a model that breaks one rule, and the one issue expected (path and message). */
const badModels: [string, Record<string, unknown>, RegExp][] = [
  ['stage percents not increasing', { canary: { stages: [{ percent: 10 }, { percent: 10 }, { percent: 100 }] } }, /^models\[0\]\.canary\.stages\[1\]\.percent: stage percents must increase strictly, got 10 after 10/],
  ['stage percents decreasing', { canary: { stages: [{ percent: 50 }, { percent: 20 }, { percent: 100 }] } }, /^models\[0\]\.canary\.stages\[1\]\.percent: .*got 20 after 50/],
  ['last stage below 100', { canary: { stages: [{ percent: 10 }, { percent: 50 }] } }, /^models\[0\]\.canary\.stages\[1\]\.percent: the last stage must send 100 percent.*got 50$/],
  ['stage percent above 100', { canary: { stages: [{ percent: 10 }, { percent: 150 }] } }, /^models\[0\]\.canary\.stages\[1\]\.percent: expected a number between 1 and 100, got 150$/],
  ['no stages', { canary: { stages: [] } }, /^models\[0\]\.canary\.stages: expected at least 1 item, got 0$/],
  ['p95 limit above p99 limit', { canary: { maxLatencyP95Ms: 900, maxLatencyP99Ms: 800 } }, /^models\[0\]\.canary\.maxLatencyP95Ms: must be <= maxLatencyP99Ms \(800\), got 900$/],
  ['missing warning above critical', { validation: { missingWarning: 0.2, missingCritical: 0.1 } }, /^models\[0\]\.validation\.missingWarning: must be <= missingCritical \(0\.1\), got 0\.2$/],
  ['duplicate warning above default critical', { validation: { duplicateWarning: 0.06 } }, /^models\[0\]\.validation\.duplicateWarning: must be <= duplicateCritical \(0\.05\), got 0\.06$/],
  ['label shift critical below default warning', { validation: { labelShiftCritical: 0.05 } }, /^models\[0\]\.validation\.labelShiftWarning: must be <= labelShiftCritical \(0\.05\), got 0\.1$/],
  ['spot wait shorter than runtime', { training: { image, managedSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 1800 } }, /^models\[0\]\.training\.maxWaitSeconds: with managedSpot, maxWaitSeconds must be >= maxRuntimeSeconds \(3600\), got 1800$/],
  ['malformed S3 URI', { data: dataWith('training', 'my-bucket/train.csv') }, /^models\[0\]\.data\.training: expected an S3 URI/],
  ['uppercase bucket', { data: dataWith('holdout', 's3://My-Bucket/holdout.csv') }, /^models\[0\]\.data\.holdout: bucket name may hold only lowercase/],
  ['short bucket', { data: dataWith('captureUri', 's3://ab/capture/') }, /^models\[0\]\.data\.captureUri: bucket name must be 3 to 63 characters, got 2/],
  ['IP address bucket', { data: dataWith('groundTruthUri', 's3://192.168.1.1/gt/') }, /^models\[0\]\.data\.groundTruthUri: bucket name must not be formatted as an IP address/],
  ['bucket with two dots', { data: dataWith('artifactsUri', 's3://my..bucket/') }, /^models\[0\]\.data\.artifactsUri: bucket name must not contain two adjacent dots/],
  ['rate with plural unit for 1', { triggers: { monitorSchedule: 'rate(1 hours)' } }, /^models\[0\]\.triggers\.monitorSchedule: invalid schedule expression "rate\(1 hours\)": use the singular unit/],
  ['rate with zero', { triggers: { monitorSchedule: 'rate(0 minutes)' } }, /^models\[0\]\.triggers\.monitorSchedule: invalid schedule expression/],
  ['cron with five fields', { triggers: { retrainSchedules: ['cron(0 2 ? * SUN)'] } }, /^models\[0\]\.triggers\.retrainSchedules\[0\]: invalid schedule expression "cron\(0 2 \? \* SUN\)": cron expressions need 6 fields/],
  ['cron with both day fields', { triggers: { retrainSchedules: ['cron(0 2 1 * SUN *)'] } }, /^models\[0\]\.triggers\.retrainSchedules\[0\]: .*exactly one of day-of-month and day-of-week must be "\?"/],
  ['cron hour 24', { triggers: { retrainSchedules: ['rate(7 days)', 'cron(0 24 ? * MON *)'] } }, /^models\[0\]\.triggers\.retrainSchedules\[1\]: .*invalid hours field value "24"/],
  ['not a schedule', { triggers: { monitorSchedule: 'every hour' } }, /^models\[0\]\.triggers\.monitorSchedule: invalid schedule expression "every hour"/],
  ['mae on a binary model', { gate: { absolute: [{ metric: 'mae', max: 3 }] } }, /^models\[0\]\.gate\.absolute\[0\]\.metric: metric "mae" does not apply to a binary model/],
  ['rocAucOvrMacro on a binary model', { gate: { relative: [{ metric: 'rocAucOvrMacro', maxDegradation: 0.01 }] } }, /^models\[0\]\.gate\.relative\[0\]\.metric: metric "rocAucOvrMacro" does not apply to a binary model/],
  ['rocAuc on a multiclass model', { problemType: 'multiclass', gate: { primary: { metric: 'rocAuc' } } }, /^models\[0\]\.gate\.primary\.metric: metric "rocAuc" does not apply to a multiclass model/],
  ['f1 quality alarm on regression', { problemType: 'regression', triggers: { quality: { metric: 'f1', threshold: 0.5 } } }, /^models\[0\]\.triggers\.quality\.metric: metric "f1" does not apply to a regression model/],
  ['estimated quality on regression', { problemType: 'regression', triggers: { estimatedQuality: { metric: 'f1', threshold: 0.5 } } }, /^models\[0\]\.triggers\.estimatedQuality: quality is estimated without labels for binary classification only, not regression$/],
  ['prediction drift trigger on multiclass', { problemType: 'multiclass', classes: 3, triggers: { predictionDrift: {} } }, /^models\[0\]\.triggers\.predictionDrift: prediction drift is measured on one output column/],
  ['prediction drift periods', { triggers: { predictionDrift: { datapointsToAlarm: 4, evaluationPeriods: 3 } } }, /^models\[0\]\.triggers\.predictionDrift\.datapointsToAlarm: must be <= evaluationPeriods \(3\), got 4$/],
  ['unknown metric', { gate: { relative: [{ metric: 'auc', maxDegradation: 0.01 }] } }, /^models\[0\]\.gate\.relative\[0\]\.metric: expected one of .*got "auc"$/],
  ['absolute rule without bounds', { gate: { absolute: [{ metric: 'f1' }] } }, /^models\[0\]\.gate\.absolute\[0\]: an absolute rule needs min, max or both$/],
  ['absolute rule with min above max', { gate: { absolute: [{ metric: 'f1', min: 0.9, max: 0.8 }] } }, /^models\[0\]\.gate\.absolute\[0\]\.max: must be >= min \(0\.9\), got 0\.8$/],
  ['multiclass with 2 classes', { problemType: 'multiclass', classes: 2 }, /^models\[0\]\.classes: a multiclass model needs at least 3 classes, got 2/],
  ['binary with 3 classes', { classes: 3 }, /^models\[0\]\.classes: a binary model has 2 classes, got 3/],
  ['classes on regression', { problemType: 'regression', classes: 4 }, /^models\[0\]\.classes: classes applies only to classification/],
  ['duplicate feature names', { features: [{ name: 'age', type: 'numeric' }, { name: 'plan', type: 'categorical' }, { name: 'age', type: 'categorical' }] }, /^models\[0\]\.features\[2\]\.name: duplicate feature name "age" \(also features\[0\]\)$/],
  ['label among the features', { features: [{ name: 'age', type: 'numeric' }, { name: 'churned', type: 'categorical' }] }, /^models\[0\]\.features\[1\]\.name: the label "churned" must not be listed as a feature$/],
  ['KS on a categorical feature', { features: [{ name: 'plan', type: 'categorical', drift: { method: 'ks' } }] }, /^models\[0\]\.features\[0\]\.drift\.method: drift method "ks" does not apply to a categorical feature/],
  ['inherited chi-square on a numeric feature', { triggers: { drift: { method: 'chiSquare' } }, features: [{ name: 'age', type: 'numeric' }] }, /^models\[0\]\.features\[0\]: drift method "chiSquare" from triggers\.drift\.method does not apply to a numeric feature/],
  ['p-value threshold of 1 or more', { triggers: { drift: { method: 'ks', threshold: 1.5 } } }, /^models\[0\]\.triggers\.drift\.threshold: the ks threshold is a p-value and must be below 1/],
  ['approval timeout of 0', { approval: { timeoutHours: 0 } }, /^models\[0\]\.approval\.timeoutHours: expected a number > 0/],
  ['negative approval timeout', { approval: { timeoutHours: -5 } }, /^models\[0\]\.approval\.timeoutHours: expected a number > 0.*got -5$/],
  ['datapoints above periods', { triggers: { drift: { datapointsToAlarm: 4, evaluationPeriods: 3 } } }, /^models\[0\]\.triggers\.drift\.datapointsToAlarm: must be <= evaluationPeriods \(3\), got 4$/],
  ['bad model name', { name: '1churn' }, /^models\[0\]\.name: expected a lowercase name/],
  ['model name too long', { name: 'a'.repeat(33) }, /^models\[0\]\.name: expected a lowercase name/],
  ['bad image', { training: { image: 'churn:latest' } }, /^models\[0\]\.training\.image: expected an ECR image URI/],
  ['bad email', { notifications: { emails: ['ops@example.com', 'not-an-email'] } }, /^models\[0\]\.notifications\.emails\[1\]: expected an email address, got "not-an-email"$/],
  ['tuning without ranges', { training: { image, tuning: { objectiveMetric: { name: 'validation:auc', type: 'Maximize' } } } }, /^models\[0\]\.training\.tuning\.ranges: tuning needs at least one hyperparameter range$/],
  ['tuning range min >= max', { training: { image, tuning: { objectiveMetric: { name: 'validation:auc', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.3, max: 0.1 }] } } } }, /^models\[0\]\.training\.tuning\.ranges\.continuous\[0\]\.max: must be greater than min \(0\.3\), got 0\.1$/],
  ['parallel jobs above max jobs', { training: { image, tuning: { objectiveMetric: { name: 'validation:auc', type: 'Maximize' }, maxJobs: 4, maxParallelJobs: 5, ranges: { integer: [{ name: 'depth', min: 2, max: 8 }] } } } }, /^models\[0\]\.training\.tuning\.maxParallelJobs: must be <= maxJobs \(4\), got 5$/],
  ['hyperparameter both static and tuned', { training: { image, hyperparameters: { depth: 4 }, tuning: { objectiveMetric: { name: 'validation:auc', type: 'Maximize' }, ranges: { integer: [{ name: 'depth', min: 2, max: 8 }] } } } }, /^models\[0\]\.training\.tuning\.ranges\.integer\[0\]\.name: hyperparameter "depth" is both tuned and set/],
];

describe('Cross-field rules', () => {
  it.each(badModels)('rejects %s', (_, overrides, expected) => {
    // Act
    const issues = issuesOf(() => parseConfig(configOf(minimalModel(overrides))));

    // Assess
    expect(issues).toEqual([expect.stringMatching(expected)]);
  });

  it('rejects duplicate model names and endpoint names across models', () => {
    const issues = issuesOf(() => parseConfig(configOf(minimalModel(), minimalModel({ endpointName: 'other' }), minimalModel({ name: 'other' }))));
    expect(issues).toEqual([
      'models[1].name: duplicate model name "churn" (also models[0])',
      'models[2].endpointName: duplicate model endpointName "churn-prod" (also models[0])',
    ]);
  });

  it('still runs cross-field rules when other fields of the model are invalid', () => {
    const issues = issuesOf(() =>
      parseConfig(configOf(minimalModel({ endpointName: 'bad name!', canary: { stages: [{ percent: 50 }, { percent: 25 }] } }))),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^models\[0\]\.endpointName: /),
      expect.stringMatching(/^models\[0\]\.canary\.stages\[1\]\.percent: stage percents must increase strictly/),
      expect.stringMatching(/^models\[0\]\.canary\.stages\[1\]\.percent: the last stage must send 100 percent/),
    ]);
  });

  /** Values at the edge of each rule that must be accepted. */
  const goodModels: [string, Record<string, unknown>][] = [
    ['a single 100 % stage', { canary: { stages: [{ percent: 100, bakeMinutes: 0 }] } }],
    ['warning equal to critical', { validation: { missingWarning: 0.1, missingCritical: 0.1 } }],
    ['spot wait equal to runtime', { training: { image, managedSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 3600 } }],
    ['spot without an explicit wait', { training: { image, managedSpot: true, maxRuntimeSeconds: 3600 } }],
    ['bucket-only and dotted S3 URIs', { data: { ...(minimalModel().data as object), captureUri: 's3://my.data-bucket', artifactsUri: 's3://abc/x/' } }],
    ['cron with ranges, lists, steps and names', { triggers: { retrainSchedules: ['cron(0/15 8-18 ? JAN-MAR,DEC MON-FRI *)', 'cron(30 2 L * ? 2025-2030)', 'cron(0 12 ? * 6#3 *)', 'cron(0 0 15W * ? *)'] } }],
    ['rates in every unit', { triggers: { monitorSchedule: 'rate(5 minutes)', retrainSchedules: ['rate(1 day)', 'rate(12 hours)', 'rate(1 minute)'] } }],
    ['no retrain schedule', { triggers: { retrainSchedules: [] } }],
    ['multiclass metrics on a multiclass model with 3 classes', { problemType: 'multiclass', classes: 3, gate: { absolute: [{ metric: 'f1Macro', min: 0.5 }], primary: { metric: 'rocAucOvrMacro' } } }],
    ['binary model with 2 classes', { classes: 2 }],
    ['regression metrics on a regression model', { problemType: 'regression', gate: { absolute: [{ metric: 'rmse', max: 10 }], relative: [{ metric: 'mae', maxDegradation: 0.5 }] }, triggers: { quality: { metric: 'mape', threshold: 0.2 } } }],
    ['chi-square on a categorical feature', { features: [{ name: 'plan', type: 'categorical', drift: { method: 'chiSquare', threshold: 0.01 } }, { name: 'age', type: 'numeric' }] }],
    ['a tuning job', { training: { image, tuning: { objectiveMetric: { name: 'validation:auc', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3, scaling: 'Logarithmic' }], categorical: [{ name: 'booster', values: ['gbtree', 'dart'] }] } } } }],
  ];

  it.each(goodModels)('accepts %s', (_, overrides) => {
    expect(() => parseConfig(configOf(minimalModel(overrides)))).not.toThrow();
  });
});

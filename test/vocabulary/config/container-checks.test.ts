/**
 * The container choice of a model's training block: one of image, algorithm or
 * framework; each built-in's required and defaulted fields.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, type ModelConfig } from '../../../vocabulary/config/index';
import { SAGEMAKER_CONTAINERS } from '../../../vocabulary/config/sagemaker-images';

const data = {
  training: 's3://churn-data/training/',
  holdout: 's3://churn-data/holdout/holdout.csv',
  captureUri: 's3://churn-data/capture/',
  groundTruthUri: 's3://churn-data/ground-truth/',
};

const raw = (overrides: Record<string, unknown>) => ({ name: 'churn', endpointName: 'churn-prod', problemType: 'binary', label: 'churned', data, ...overrides });

function parse(overrides: Record<string, unknown>): ModelConfig {
  return parseConfig({ models: [raw(overrides)] }).models[0]!;
}

function issues(overrides: Record<string, unknown>): string[] {
  try {
    parse(overrides);
    return [];
  } catch (e) {
    return (e as Error).message.split('\n').filter((l) => l.includes('models[0]')).map((l) => l.trim());
  }
}

const xgboost = (hp: Record<string, unknown> = { num_round: 10 }) => ({ algorithm: 'xgboost', version: '1.7-1', hyperparameters: hp });
const sklearn = { framework: 'sklearn', version: '1.2-1', entryPoint: 'train.py', sourceDir: 'examples/sklearn' };

describe('Function: containerIssues (through parseConfig)', () => {
  it('defaults the XGBoost objective by problem type, and num_class from classes for multiclass', () => {
    // Act
    const binary = parse({ training: xgboost() });
    const regression = parse({ problemType: 'regression', training: xgboost() });
    const multiclass = parse({ problemType: 'multiclass', classes: 4, training: xgboost() });
    // Assess
    expect(binary.training.hyperparameters).toEqual({ num_round: '10', objective: 'binary:logistic' });
    expect(regression.training.hyperparameters.objective).toBe('reg:squarederror');
    expect(multiclass.training.hyperparameters).toMatchObject({ objective: 'multi:softprob', num_class: '4' });
  });

  it('keeps an objective and num_class the user set', () => {
    // Act
    const m = parse({ problemType: 'regression', training: xgboost({ num_round: 5, objective: 'reg:absoluteerror' }) });
    // Assess
    expect(m.training.hyperparameters.objective).toBe('reg:absoluteerror');
  });

  it('requires num_round, and num_class for multi:* without classes', () => {
    // Act
    const noRound = issues({ training: xgboost({ max_depth: 3 }) });
    const noClass = issues({ problemType: 'multiclass', training: xgboost() });
    // Assess
    expect(noRound).toEqual([expect.stringMatching(/^models\[0\]\.training\.hyperparameters\.num_round: required by the XGBoost algorithm/)]);
    expect(noClass).toEqual([expect.stringMatching(/^models\[0\]\.training\.hyperparameters\.num_class: required by the XGBoost objective multi:softprob/)]);
  });

  it('rejects an objective whose answers pitstop cannot evaluate', () => {
    // Act
    const hinge = issues({ training: xgboost({ num_round: 5, objective: 'binary:hinge' }) });
    const softmax = issues({ problemType: 'multiclass', classes: 3, training: xgboost({ num_round: 5, objective: 'multi:softmax' }) });
    // Assess
    expect(hinge).toEqual([expect.stringMatching(/training\.hyperparameters\.objective: expected "binary:logistic" for a binary model .* got "binary:hinge"/)]);
    expect(softmax).toEqual([expect.stringMatching(/expected "multi:softprob" for a multiclass model .* got "multi:softmax"/)]);
  });

  it('wants exactly one of image, algorithm and framework', () => {
    // Act
    const none = issues({ training: { instanceType: 'ml.m5.large' } });
    const two = issues({ training: { ...xgboost(), image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' } });
    // Assess
    expect(none).toEqual([expect.stringMatching(/^models\[0\]\.training: expected one of image .*, algorithm .* or framework .*, got none$/)]);
    expect(two).toEqual([expect.stringMatching(/^models\[0\]\.training: expected only one of image, algorithm or framework, got image and algorithm$/)]);
  });

  it('checks the version against the containers SageMaker publishes', () => {
    // Act
    const missing = issues({ training: { algorithm: 'xgboost', hyperparameters: { num_round: 1 } } });
    const unknown = issues({ training: { ...sklearn, version: '9.9-9' } });
    // Assess
    expect(missing).toEqual([expect.stringMatching(/training\.version: required with training\.algorithm \(one of .*1\.7-1/)]);
    expect(unknown).toEqual([expect.stringMatching(/training\.version: expected one of 0\.23-1, 1\.0-1, 1\.2-1 for sklearn, got "9\.9-9"/)]);
    expect(SAGEMAKER_CONTAINERS.sklearn.tag('1.2-1')).toBe('1.2-1-cpu-py3');
  });

  it('requires entryPoint and sourceDir with a framework, and keeps its hyperparameters for pitstop', () => {
    // Act
    const bare = issues({ training: { framework: 'sklearn', version: '1.2-1' } });
    const reserved = issues({ training: { ...sklearn, hyperparameters: { sagemaker_program: 'other.py' } } });
    const misplaced = issues({ training: { ...xgboost(), entryPoint: 'train.py' } });
    const inference = issues({ training: { ...sklearn, inferenceImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1' } });
    // Assess
    expect(bare).toEqual([
      expect.stringMatching(/training\.entryPoint: required with training\.framework/),
      expect.stringMatching(/training\.sourceDir: required with training\.framework/),
    ]);
    expect(reserved).toEqual([expect.stringMatching(/training\.hyperparameters\.sagemaker_program: is set by pitstop/)]);
    expect(misplaced).toEqual([expect.stringMatching(/training\.entryPoint: applies only with training\.framework/)]);
    expect(inference).toEqual([expect.stringMatching(/training\.inferenceImage: applies only with training\.image/)]);
  });

  it('parses the shipped example configs of both containers', async () => {
    // Prepare
    const { readFileSync } = await import('node:fs');
    const load = (f: string) => parseConfig(JSON.parse(readFileSync(new URL(`../../../examples/${f}`, import.meta.url), 'utf8')));
    // Act
    const x = load('pitstop.xgboost.json').models[0]!;
    const s = load('pitstop.sklearn.json').models[0]!;
    // Assess
    expect(x.training).toMatchObject({ algorithm: 'xgboost', version: '1.7-1', hyperparameters: { objective: 'binary:logistic' } });
    expect(s.training).toMatchObject({ framework: 'sklearn', version: '1.2-1', entryPoint: 'train.py', sourceDir: 'examples/sklearn' });
    // SageMaker's containers read numbers only.
    expect([...x.features!, ...s.features!].every((f) => f.type === 'numeric')).toBe(true);
  });
});

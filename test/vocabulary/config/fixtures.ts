/** Test fixtures: the smallest valid model, and a helper to vary it. */
import type { ModelConfigInput } from '../../../vocabulary/config/index';

/** A minimal valid model: only the required fields. */
export function minimalModel(overrides: Record<string, unknown> = {}): ModelConfigInput {
  return {
    name: 'churn',
    endpointName: 'churn-prod',
    problemType: 'binary',
    label: 'churned',
    data: {
      training: 's3://my-bucket/churn/train.csv',
      holdout: 's3://my-bucket/churn/holdout.csv',
      captureUri: 's3://my-bucket/churn/capture/',
      groundTruthUri: 's3://my-bucket/churn/ground-truth/',
    },
    training: { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:latest' },
    ...overrides,
  } as ModelConfigInput;
}

/** A config holding the given models (default: one minimal model). */
export function configOf(...models: unknown[]): { models: unknown[] } {
  return { models: models.length ? models : [minimalModel()] };
}

/** The issues a ConfigError carries, or fails when `fn` does not throw one. */
export function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error && error.name === 'ConfigError') return (error as Error & { issues: readonly string[] }).issues;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

/**
 * The config changes of the `xgboost` and `sklearn` scenarios: the model trains with
 * the training block, features, capture and canary of the shipped example config of that
 * container (examples/pitstop.xgboost.json, examples/pitstop.sklearn.json), so the
 * scenarios run what a user deploys. SageMaker's containers take numbers only: those
 * configs list the numeric features, and pitstop sends the models nothing else.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { REPO_ROOT, type RawModel } from './environment';

/** The example config of each SageMaker container. */
export const BUILTIN_EXAMPLE_CONFIGS = {
  xgboost: join(REPO_ROOT, 'examples', 'pitstop.xgboost.json'),
  sklearn: join(REPO_ROOT, 'examples', 'pitstop.sklearn.json'),
} as const;

/** The first model of an example config, as written. */
export function exampleModel(container: keyof typeof BUILTIN_EXAMPLE_CONFIGS): RawModel {
  const json = JSON.parse(readFileSync(BUILTIN_EXAMPLE_CONFIGS[container], 'utf8')) as { models: RawModel[] };
  return json.models[0]!;
}

/** `raw` training with the container of the example config (a relative sourceDir taken from the repository root). */
export function withExampleContainer(container: keyof typeof BUILTIN_EXAMPLE_CONFIGS): (raw: RawModel) => RawModel {
  return (raw) => {
    const example = exampleModel(container);
    const training = { ...(example.training as Record<string, unknown>) };
    if (typeof training.sourceDir === 'string' && !training.sourceDir.startsWith('s3://') && !isAbsolute(training.sourceDir)) {
      training.sourceDir = join(REPO_ROOT, training.sourceDir);
    }
    return {
      ...raw,
      features: example.features,
      training,
      // A Python server's latency limits (the example model's are tighter).
      canary: { ...(raw.canary as Record<string, unknown>), ...(example.canary as Record<string, unknown>) },
      ...(example.capture === undefined ? {} : { capture: example.capture }),
    };
  };
}

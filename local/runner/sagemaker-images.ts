/**
 * Which local commands stand in for which container image in local mode:
 * - the user's own image (`training.image`): the example model (examples/model), run
 *   with Node;
 * - SageMaker's XGBoost image (`training.algorithm: "xgboost"`) and scikit-learn
 *   framework image (`training.framework: "sklearn"`): local/images/*_container.py,
 *   which follow those containers' contracts with the real libraries, run by a Python
 *   that has them. The image URIs are the ones the stack's region mapping resolves to in
 *   the local region, so the synthesized definitions pick them as they would on AWS.
 *
 * Python is looked for as `PITSTOP_PYTHON`, then `python3` on PATH, then
 * `/usr/bin/python3` (Debian's, where `apt-get install python3-xgboost python3-sklearn`
 * puts the libraries). Without one, {@link MissingPythonModulesError} says which
 * package is missing and which scenario needs it.
 */
import { spawnSync } from 'node:child_process';
import type { ModelConfig } from '../../vocabulary/config/index';
import { sageMakerImageUri, type SageMakerContainer } from '../../vocabulary/config/sagemaker-images';
import type { ImageCommands } from '../backend/sagemaker/deps';

/** Local commands of the example model's image (run from the repository root). */
export const EXAMPLE_IMAGE_COMMANDS: ImageCommands = {
  train: ['node', '--import', 'tsx', 'examples/model/train.ts'],
  serve: ['node', '--import', 'tsx', 'examples/model/serve.ts'],
};

/** A Python module a stand-in needs, and the Debian package that provides it. */
export interface PythonRequirement {
  readonly module: string;
  readonly debianPackage: string;
}

/** What each SageMaker container's stand-in needs, its script, and the scenario that runs it. */
export const CONTAINER_STAND_INS: Readonly<Record<SageMakerContainer, { readonly script: string; readonly scenario: string; readonly requires: readonly PythonRequirement[] }>> = {
  xgboost: {
    script: 'local/images/xgboost_container.py',
    scenario: 'xgboost',
    requires: [
      { module: 'xgboost', debianPackage: 'python3-xgboost' },
      { module: 'numpy', debianPackage: 'python3-numpy' },
    ],
  },
  sklearn: {
    script: 'local/images/sklearn_container.py',
    scenario: 'sklearn',
    requires: [
      { module: 'sklearn', debianPackage: 'python3-sklearn' },
      { module: 'joblib', debianPackage: 'python3-joblib' },
      { module: 'numpy', debianPackage: 'python3-numpy' },
    ],
  },
};

/** No Python on the machine has the modules a container's stand-in needs. */
export class MissingPythonModulesError extends Error {
  public constructor(
    /** The container. */
    public readonly container: SageMakerContainer,
    /** The Debian packages to install. */
    public readonly packages: readonly string[],
    /** The interpreters tried. */
    public readonly tried: readonly string[],
  ) {
    const stand = CONTAINER_STAND_INS[container];
    super(
      `local mode runs SageMaker's ${container} container with Python's ${stand.requires.map((r) => r.module).join(' and ')}: ` +
        `none of ${tried.join(', ')} has them (missing Debian package${packages.length > 1 ? 's' : ''} ${packages.join(' ')}: ` +
        `apt-get install ${packages.join(' ')}); the ${stand.scenario} scenario and configs with training.${container === 'xgboost' ? 'algorithm' : 'framework'} "${container}" need ${packages.length > 1 ? 'them' : 'it'}`,
    );
    this.name = 'MissingPythonModulesError';
  }
}

/** Interpreters to try, in order. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.PITSTOP_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p))];
}

const found = new Map<string, { python?: string; missing: string[] }>();

/** The modules of `requires` that `python` cannot import (all of them when it does not run). */
export function missingModules(python: string, requires: readonly PythonRequirement[]): PythonRequirement[] {
  const missing: PythonRequirement[] = [];
  for (const r of requires) {
    const run = spawnSync(python, ['-c', `import ${r.module}`], { stdio: 'ignore', timeout: 120_000 });
    if (run.status !== 0) missing.push(r);
  }
  return missing;
}

/**
 * The first interpreter of `candidates` that imports every module the container's
 * stand-in needs (looked up once per process).
 * @throws MissingPythonModulesError naming the Debian packages still missing from the best candidate
 */
export function pythonFor(container: SageMakerContainer, candidates: readonly string[] = pythonCandidates()): string {
  const key = `${container}\0${candidates.join('\0')}`;
  let result = found.get(key);
  if (!result) {
    let fewest: PythonRequirement[] | undefined;
    let python: string | undefined;
    for (const candidate of candidates) {
      const missing = missingModules(candidate, CONTAINER_STAND_INS[container].requires);
      if (missing.length === 0) {
        python = candidate;
        break;
      }
      if (!fewest || missing.length < fewest.length) fewest = missing;
    }
    result = { ...(python ? { python } : {}), missing: (fewest ?? []).map((r) => r.debianPackage) };
    found.set(key, result);
  }
  if (result.python) return result.python;
  throw new MissingPythonModulesError(container, result.missing, candidates);
}

/** The container a model trains with, when it is one of SageMaker's. */
export function sageMakerContainerOf(model: ModelConfig): SageMakerContainer | undefined {
  return model.training.algorithm ?? model.training.framework;
}

/**
 * Image URI → local commands for a model in `region`.
 * @throws MissingPythonModulesError for a SageMaker container whose stand-in has no Python
 */
export function localImages(model: ModelConfig, region = 'us-east-1'): Record<string, ImageCommands> {
  const t = model.training;
  const container = sageMakerContainerOf(model);
  if (container && t.version) {
    const python = pythonFor(container);
    const script = CONTAINER_STAND_INS[container].script;
    return { [sageMakerImageUri(container, t.version, region)]: { train: [python, '-u', script, 'train'], serve: [python, '-u', script, 'serve'] } };
  }
  const images: Record<string, ImageCommands> = {};
  if (t.image) images[t.image] = EXAMPLE_IMAGE_COMMANDS;
  if (t.inferenceImage) images[t.inferenceImage] = EXAMPLE_IMAGE_COMMANDS;
  return images;
}

/**
 * What container a model trains and serves with: an image of the user's own
 * (`training.image`), a SageMaker built-in algorithm (`training.algorithm`) or a
 * SageMaker framework container running the user's script (`training.framework`).
 * Cross-field rules, and the defaults a built-in needs from the rest of the model
 * (XGBoost's objective and `num_class` from the problem type and `classes`).
 *
 * Like checks.ts, the rules read the partly parsed value defensively.
 */
import type { ProblemType } from '../evaluation-names';
import { FRAMEWORK_HYPERPARAMETERS, SAGEMAKER_CONTAINERS, XGBOOST_OBJECTIVES, type SageMakerContainer } from './sagemaker-images';
import type { CheckIssue } from './check-issue';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);

/** Which of `image`, `algorithm`, `framework` a training block sets. */
function kinds(t: Obj): ('image' | 'algorithm' | 'framework')[] {
  return (['image', 'algorithm', 'framework'] as const).filter((k) => t[k] !== undefined);
}

/** The problems of a model's container choice, at paths under `training`. */
export function containerIssues(m: Obj): CheckIssue[] {
  const t = obj(m.training);
  if (!t) return [];
  const issues: CheckIssue[] = [];
  const at = (...path: string[]) => ['training', ...path];
  const set = kinds(t);
  if (set.length === 0) {
    return [{ path: ['training'], message: 'expected one of image (your own container), algorithm ("xgboost") or framework ("sklearn"), got none' }];
  }
  if (set.length > 1) {
    return [{ path: ['training'], message: `expected only one of image, algorithm or framework, got ${set.join(' and ')}` }];
  }
  const kind = set[0]!;
  if (kind === 'image') {
    for (const field of ['version', 'entryPoint', 'sourceDir'] as const) {
      if (t[field] !== undefined) issues.push({ path: at(field), message: `applies only with training.algorithm or training.framework, not with training.image` });
    }
    return issues;
  }
  if (t.inferenceImage !== undefined) {
    issues.push({ path: at('inferenceImage'), message: `applies only with training.image: the ${kind} serves with its own image` });
  }
  const container = (kind === 'algorithm' ? t.algorithm : t.framework) as SageMakerContainer;
  const known = SAGEMAKER_CONTAINERS[container];
  if (t.version === undefined) {
    issues.push({ path: at('version'), message: `required with training.${kind} (one of ${known?.versions.join(', ') ?? '?'})` });
  } else if (known && !known.versions.includes(String(t.version))) {
    issues.push({ path: at('version'), message: `expected one of ${known.versions.join(', ')} for ${container}, got ${JSON.stringify(t.version)}`, input: t.version });
  }
  const hp = obj(t.hyperparameters) ?? {};
  if (kind === 'algorithm' && container === 'xgboost') issues.push(...xgboostIssues(m, hp));
  if (kind === 'framework') {
    if (t.entryPoint === undefined) issues.push({ path: at('entryPoint'), message: 'required with training.framework: the script to run, like "train.py"' });
    if (t.sourceDir === undefined) issues.push({ path: at('sourceDir'), message: 'required with training.framework: a local directory holding the script, or an s3:// URI of a sourcedir.tar.gz' });
    for (const name of Object.values(FRAMEWORK_HYPERPARAMETERS)) {
      if (Object.hasOwn(hp, name)) issues.push({ path: at('hyperparameters', name), message: 'is set by pitstop from training.entryPoint and training.sourceDir; remove it' });
    }
  } else {
    for (const field of ['entryPoint', 'sourceDir'] as const) {
      if (t[field] !== undefined) issues.push({ path: at(field), message: 'applies only with training.framework' });
    }
  }
  return issues;
}

/** The objective a problem type needs, and whether an objective fits it. */
function objectiveFits(problemType: ProblemType, objective: string): boolean {
  if (problemType === 'regression') return objective.startsWith('reg:');
  return objective === XGBOOST_OBJECTIVES[problemType];
}

function xgboostIssues(m: Obj, hp: Obj): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const at = (name: string) => ['training', 'hyperparameters', name];
  if (hp.num_round === undefined) {
    issues.push({ path: at('num_round'), message: 'required by the XGBoost algorithm: the number of boosting rounds, like 100' });
  }
  const problemType = m.problemType as ProblemType | undefined;
  if (problemType === undefined || !(problemType in XGBOOST_OBJECTIVES)) return issues;
  const objective = hp.objective === undefined ? XGBOOST_OBJECTIVES[problemType] : String(hp.objective);
  if (!objectiveFits(problemType, objective)) {
    const want = problemType === 'regression' ? 'a reg:* objective' : `"${XGBOOST_OBJECTIVES[problemType]}"`;
    issues.push({
      path: at('objective'),
      message: `expected ${want} for a ${problemType} model (pitstop's evaluation reads ${problemType === 'binary' ? 'P(class 1)' : problemType === 'multiclass' ? 'one probability per class' : 'a value'} per line), got ${JSON.stringify(objective)}`,
      input: hp.objective,
    });
  }
  if (objective.startsWith('multi:') && hp.num_class === undefined && m.classes === undefined) {
    issues.push({ path: at('num_class'), message: `required by the XGBoost objective ${objective} (or set the model's classes)` });
  }
  return issues;
}

/**
 * The hyperparameters a training block sends, with a built-in's defaults: XGBoost's
 * objective by problem type and `num_class` from `classes` for multi:* objectives.
 */
export function withContainerDefaults(
  training: { algorithm?: string | undefined; hyperparameters: Record<string, string> },
  problemType: ProblemType,
  classes: number | undefined,
): Record<string, string> {
  if (training.algorithm !== 'xgboost') return training.hyperparameters;
  const hp = { ...training.hyperparameters };
  hp.objective ??= XGBOOST_OBJECTIVES[problemType];
  if (hp.objective.startsWith('multi:') && hp.num_class === undefined && classes !== undefined) hp.num_class = String(classes);
  return hp;
}

/**
 * Training of the example model, pure: typed columns and labels in, a model artifact out.
 */
import { ValueTypeError, InputError } from '../../vocabulary/errors';
import { binaryMetrics } from '../../lambdas/core/metrics';
import type { Cell } from '../../lambdas/core/readers/types';
import { MODEL_FORMAT, type ModelArtifact } from './artifact';
import { encodeColumns, encodedWidth, fitEncoding, type TypedColumn } from './encoding';
import type { Hyperparameters } from './hyperparameters';
import { fitLogisticRegression } from './logistic-regression';
import { predict, typedValue } from './predict';

/** A training set: one typed column per feature (hyperparameter order: numeric, then categorical) and the labels. */
export interface TrainingSet {
  readonly columns: TypedColumn[];
  readonly labels: Uint8Array;
}

/** Raised when the `fail` hyperparameter asks the training to fail. */
export class InjectedTrainingFailure extends Error {
  public constructor(reason: string) {
    super(reason);
    this.name = 'InjectedTrainingFailure';
  }
}

/**
 * A label cell as 0 or 1: the numbers 0 and 1 (also as text, e.g. `1.0`) and
 * `true`/`false`.
 *
 * @throws ValueTypeError otherwise (including a missing label)
 */
export function labelValue(cell: Cell | undefined, where: { file?: string; line?: number; column: string }): 0 | 1 {
  if (cell === true || cell === false) return cell ? 1 : 0;
  const s = typeof cell === 'string' ? cell.trim().toLowerCase() : cell;
  if (s === 'true') return 1;
  if (s === 'false') return 0;
  const x = typeof s === 'number' ? s : typeof s === 'string' && s !== '' ? Number(s) : Number.NaN;
  if (x === 0 || x === 1) return x;
  throw new ValueTypeError(`expected a label 0 or 1, got ${cell === null || cell === undefined || cell === '' ? 'a missing value' : JSON.stringify(cell)}`, where);
}

/** The features the hyperparameters name, with their types. */
export function featureList(hp: Hyperparameters): { name: string; type: 'numeric' | 'categorical' }[] {
  return [
    ...hp.numericFeatures.map((name) => ({ name, type: 'numeric' as const })),
    ...hp.categoricalFeatures.map((name) => ({ name, type: 'categorical' as const })),
  ];
}

/** Accumulates rows (cells keyed by column index) into a {@link TrainingSet}. */
export class TrainingSetBuilder {
  private readonly features: { name: string; type: 'numeric' | 'categorical' }[];
  private readonly values: (number | string | null)[][];
  private readonly labels: number[] = [];
  private readonly featureIndex: number[];
  private readonly labelIndex: number;
  private readonly label: string;

  /**
   * @param columns the header of the data
   * @throws InputError when a feature or the label is not among the columns
   */
  public constructor(hp: Hyperparameters, columns: readonly string[], file?: string) {
    this.features = featureList(hp);
    const index = (name: string): number => {
      const i = columns.indexOf(name);
      if (i < 0) throw new InputError(`training data has no column "${name}" (columns: ${columns.join(',')})`, { file });
      return i;
    };
    this.featureIndex = this.features.map((f) => index(f.name));
    this.labelIndex = index(hp.label);
    this.label = hp.label;
    this.values = this.features.map(() => []);
  }

  /** Adds one row. @throws ValueTypeError on a bad value, naming file, line and column */
  public add(row: readonly Cell[], where: { file?: string; line?: number }): void {
    const line = where.line ?? 0;
    this.labels.push(labelValue(row[this.labelIndex], { ...where, column: this.label }));
    this.features.forEach((f, k) => this.values[k]!.push(typedValue(f, row[this.featureIndex[k]!], { file: where.file, line })));
  }

  /** The training set built so far. */
  public build(): TrainingSet {
    const columns = this.features.map((f, k): TypedColumn =>
      f.type === 'numeric'
        ? { name: f.name, type: 'numeric', values: this.values[k] as (number | null)[] }
        : { name: f.name, type: 'categorical', values: this.values[k] as (string | null)[] },
    );
    return { columns, labels: Uint8Array.from(this.labels) };
  }
}

/**
 * Builds a training set from in-memory rows keyed by column name (such as the
 * example data generator's).
 */
export function trainingSetFromRows(rows: readonly Readonly<Record<string, Cell | undefined>>[], hp: Hyperparameters): TrainingSet {
  const columns = [...featureList(hp).map((f) => f.name), hp.label];
  const builder = new TrainingSetBuilder(hp, columns);
  rows.forEach((r, i) => builder.add(columns.map((c) => r[c] ?? null), { line: i + 1 }));
  return builder.build();
}

/** Log loss, ROC AUC and accuracy of probabilities `p`, keyed `<prefix>:logloss` etc. */
export function scoreMetrics(prefix: string, labels: Uint8Array, p: readonly number[]): Record<string, number> {
  const m = binaryMetrics(labels, p);
  return { [`${prefix}:logloss`]: m.logLoss, [`${prefix}:auc`]: m.rocAuc, [`${prefix}:accuracy`]: m.accuracy };
}

/** Options of {@link trainModel}. */
export interface TrainModelOptions {
  /** A validation set to score the model on. @default none */
  readonly validation?: TrainingSet;
  /** Progress callback, per iteration. @default none */
  readonly onIteration?: (iteration: number, maxIter: number, loss: number) => void;
}

/**
 * Trains the model: fits the encoding, then the logistic regression, then scores the
 * training (and validation) set.
 *
 * @throws InjectedTrainingFailure when the `fail` hyperparameter is set
 * @throws InputError when there are no rows
 */
export function trainModel(data: TrainingSet, hp: Hyperparameters, options: TrainModelOptions = {}): ModelArtifact {
  if (hp.fail !== undefined) throw new InjectedTrainingFailure(hp.fail);
  const n = data.labels.length;
  if (n === 0) throw new InputError('training data has no rows');
  const features = fitEncoding(data.columns);
  const x = encodeColumns(features, data.columns, n);
  const fitted = fitLogisticRegression(x, data.labels, encodedWidth(features), {
    l2: hp.l2,
    solver: hp.solver,
    maxIter: hp.maxIter,
    learningRate: hp.learningRate,
    tol: hp.tol,
    onIteration: options.onIteration,
  });
  const model: ModelArtifact = {
    format: MODEL_FORMAT,
    version: 1,
    label: hp.label,
    features,
    intercept: fitted.intercept,
    weights: fitted.weights,
    hyperparameters: {
      l2: hp.l2,
      solver: hp.solver,
      max_iter: hp.maxIter,
      learning_rate: hp.learningRate,
      tol: hp.tol,
      label: hp.label,
      numeric_features: [...hp.numericFeatures],
      categorical_features: [...hp.categoricalFeatures],
    },
    metrics: {},
    faults: { latencyMs: hp.latencyMs, errorRate: hp.errorRate },
    ...(hp.jsonResponse === 'predictions' ? {} : { jsonResponse: hp.jsonResponse }),
  };
  const score = (set: TrainingSet) => predict(model, rowsOf(set));
  const metrics = { ...scoreMetrics('train', data.labels, score(data)), iterations: fitted.iterations };
  if (options.validation && options.validation.labels.length > 0) {
    Object.assign(metrics, scoreMetrics('validation', options.validation.labels, score(options.validation)));
  }
  return { ...model, metrics };
}

/** The rows of a training set as arrays in feature order. */
function rowsOf(set: TrainingSet): (number | string | null)[][] {
  return Array.from(set.labels, (_, i) => set.columns.map((c) => c.values[i] ?? null));
}

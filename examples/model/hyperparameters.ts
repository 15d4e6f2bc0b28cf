/**
 * Hyperparameters of the example model, parsed from SageMaker's hyperparameters.json
 * (where every value is a string).
 */
import { InputError } from '../../vocabulary/errors';
import { CHURN_CATEGORICAL_FEATURES, CHURN_LABEL, CHURN_NUMERIC_FEATURES } from '../data/churn-schema';

/** Solvers of the logistic regression. */
export const SOLVERS = { newton: 'newton', gd: 'gd' } as const;
export type Solver = (typeof SOLVERS)[keyof typeof SOLVERS];

/** Every hyperparameter, resolved. */
export interface Hyperparameters {
  /** L2 penalty on the weights (not the intercept), added to the mean log loss as `l2/2 * |w|^2`. @default 0.001 */
  readonly l2: number;
  /** `newton` (Newton-Raphson / IRLS with step halving) or `gd` (full-batch gradient descent). @default 'newton' */
  readonly solver: Solver;
  /** Iterations (Newton) or epochs (gd); key `max_iter` or `epochs`. @default 25 for newton, 300 for gd */
  readonly maxIter: number;
  /** Step size of gradient descent (unused by Newton). @default 0.5 */
  readonly learningRate: number;
  /** Stop when no weight moves more than this in an iteration. @default 1e-8 */
  readonly tol: number;
  /** The label column. @default 'churned' */
  readonly label: string;
  /**
   * Numeric features, comma-separated. When only one of numeric_features and
   * categorical_features is given, the other is empty. @default the churn example's
   */
  readonly numericFeatures: readonly string[];
  /** Categorical features, comma-separated. @default the churn example's */
  readonly categoricalFeatures: readonly string[];
  /**
   * Make the training fail on purpose: `true` (a stock reason) or the reason itself;
   * `false` or empty for a normal run. @default undefined (no failure)
   */
  readonly fail?: string;
  /** Inference fault: milliseconds added to every invocation, stored in the model. @default 0 */
  readonly latencyMs: number;
  /** Inference fault: share of invocations answered with HTTP 500, stored in the model. @default 0 */
  readonly errorRate: number;
  /**
   * The JSON response of the served model, stored in the model: `predictions`
   * (`{"predictions": [p, ...]}`) or `probabilities` (`{"probabilities": [[1 - p, p], ...]}`,
   * the scikit-learn / PyTorch handler shape). @default 'predictions'
   */
  readonly jsonResponse: JsonResponse;
}

/** The JSON responses the served model can give. */
export const JSON_RESPONSES = ['predictions', 'probabilities'] as const;
export type JsonResponse = (typeof JSON_RESPONSES)[number];

/** The names this model reads (snake_case; camelCase and kebab-case are accepted too). */
const KNOWN = [
  'l2', 'solver', 'max_iter', 'epochs', 'learning_rate', 'tol', 'label',
  'numeric_features', 'categorical_features', 'fail', 'latency_ms', 'error_rate', 'json_response',
] as const;

/** `maxIter` / `max-iter` / `MAX_ITER` → `max_iter`. */
export function normaliseKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}

/**
 * The string value of a hyperparameter. The SageMaker Python SDK JSON-encodes every
 * value, so a string arrives as `"\"newton\""`; one level of such quoting is removed.
 */
function text(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      const inner: unknown = JSON.parse(s);
      if (typeof inner === 'string') return inner;
    } catch {
      /* not JSON: keep as is */
    }
  }
  return s.trim();
}

function numberOf(key: string, raw: string, check: (x: number) => boolean, expected: string): number {
  const x = Number(raw);
  if (raw === '' || !Number.isFinite(x) || !check(x)) {
    throw new InputError(`hyperparameter ${key}: expected ${expected}, got "${raw}"`, { file: 'hyperparameters.json', column: key });
  }
  return x;
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

/**
 * Resolves hyperparameters from their raw (string) values.
 *
 * @returns the resolved values and the names that were not recognised (the example
 *   config passes tree-model settings such as `n_estimators`; they are ignored)
 * @throws InputError naming the hyperparameter on an invalid value
 */
export function parseHyperparameters(raw: Readonly<Record<string, unknown>>): { hyperparameters: Hyperparameters; ignored: string[] } {
  const values = new Map<string, string>();
  const ignored: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const key = normaliseKey(k);
    if ((KNOWN as readonly string[]).includes(key)) values.set(key, text(v));
    else ignored.push(k);
  }
  const get = (k: string): string | undefined => values.get(k);

  const solverRaw = get('solver') ?? 'newton';
  if (!(solverRaw in SOLVERS)) {
    throw new InputError(`hyperparameter solver: expected newton or gd, got "${solverRaw}"`, { file: 'hyperparameters.json', column: 'solver' });
  }
  const solver = solverRaw as Solver;
  const iterKey = values.has('max_iter') ? 'max_iter' : 'epochs';
  const iterRaw = get(iterKey);
  const positiveInt = (x: number) => Number.isInteger(x) && x >= 1;

  const numericRaw = get('numeric_features');
  const categoricalRaw = get('categorical_features');
  const custom = numericRaw !== undefined || categoricalRaw !== undefined;
  const numericFeatures = custom ? list(numericRaw ?? '') : [...CHURN_NUMERIC_FEATURES];
  const categoricalFeatures = custom ? list(categoricalRaw ?? '') : [...CHURN_CATEGORICAL_FEATURES];
  if (numericFeatures.length + categoricalFeatures.length === 0) {
    throw new InputError('hyperparameters numeric_features and categorical_features: expected at least one feature, got none', {
      file: 'hyperparameters.json',
    });
  }

  const failRaw = get('fail');
  const fail = failRaw === undefined || failRaw === '' || failRaw.toLowerCase() === 'false' ? undefined
    : failRaw.toLowerCase() === 'true' ? 'training failed on purpose (hyperparameter fail=true)'
    : failRaw;

  const jsonResponse = get('json_response') ?? 'predictions';
  if (!(JSON_RESPONSES as readonly string[]).includes(jsonResponse)) {
    throw new InputError(`hyperparameter json_response: expected ${JSON_RESPONSES.join(' or ')}, got "${jsonResponse}"`, { file: 'hyperparameters.json', column: 'json_response' });
  }

  return {
    hyperparameters: {
      l2: get('l2') === undefined ? 0.001 : numberOf('l2', get('l2')!, (x) => x >= 0, 'a number >= 0'),
      solver,
      maxIter: iterRaw === undefined ? (solver === 'newton' ? 25 : 300) : numberOf(iterKey, iterRaw, positiveInt, 'an integer >= 1'),
      learningRate: get('learning_rate') === undefined ? 0.5 : numberOf('learning_rate', get('learning_rate')!, (x) => x > 0, 'a number > 0'),
      tol: get('tol') === undefined ? 1e-8 : numberOf('tol', get('tol')!, (x) => x >= 0, 'a number >= 0'),
      label: get('label') || CHURN_LABEL,
      numericFeatures,
      categoricalFeatures,
      fail,
      latencyMs: get('latency_ms') === undefined ? 0 : numberOf('latency_ms', get('latency_ms')!, (x) => x >= 0, 'a number >= 0'),
      errorRate: get('error_rate') === undefined ? 0 : numberOf('error_rate', get('error_rate')!, (x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
      jsonResponse: jsonResponse as JsonResponse,
    },
    ignored,
  };
}

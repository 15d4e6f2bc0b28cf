/**
 * L2-regularised logistic regression on an encoded matrix, fitted by Newton-Raphson
 * (IRLS, with step halving) or by full-batch gradient descent. Deterministic: no
 * randomness, a fixed order of floating-point operations.
 *
 * Objective: mean log loss + `l2 / 2 * |w|^2` (the intercept is not penalised).
 */
import { InputError } from '../../vocabulary/errors';
import type { Solver } from './hyperparameters';

/** Options of {@link fitLogisticRegression}. */
export interface FitOptions {
  /** L2 penalty. @default 0.001 */
  readonly l2?: number;
  /** @default 'newton' */
  readonly solver?: Solver;
  /** Iterations (Newton) or epochs (gd). @default 25 for newton, 300 for gd */
  readonly maxIter?: number;
  /** Gradient-descent step size. @default 0.5 */
  readonly learningRate?: number;
  /** Stop when no parameter moves more than this. @default 1e-8 */
  readonly tol?: number;
  /** Called after each iteration with its 1-based number and the objective. @default none */
  readonly onIteration?: (iteration: number, maxIter: number, loss: number) => void;
}

/** A fitted model. */
export interface FittedWeights {
  readonly weights: number[];
  readonly intercept: number;
  /** Iterations run. */
  readonly iterations: number;
  /** Final objective (penalised mean log loss). */
  readonly loss: number;
}

/** A numerically stable `ln(1 + e^z)`. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Penalised mean log loss: `mean(softplus(z) - y z) + l2/2 |w|^2`. */
function objective(x: Float64Array, y: Uint8Array, n: number, p: number, w: Float64Array, b: number, l2: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let z = b;
    const o = i * p;
    for (let j = 0; j < p; j++) z += x[o + j]! * w[j]!;
    sum += softplus(z) - y[i]! * z;
  }
  let sq = 0;
  for (let j = 0; j < p; j++) sq += w[j]! * w[j]!;
  return sum / n + (l2 / 2) * sq;
}

/**
 * Solves `A s = g` for a symmetric positive definite `m × m` matrix by Cholesky
 * decomposition (A is overwritten). Adds a tiny ridge when a pivot is not positive.
 */
function solveSpd(a: Float64Array, g: Float64Array, m: number): Float64Array {
  for (let k = 0; k < m; k++) {
    let d = a[k * m + k]!;
    for (let t = 0; t < k; t++) d -= a[k * m + t]! ** 2;
    if (!(d > 1e-12)) d = 1e-12;
    const l = Math.sqrt(d);
    a[k * m + k] = l;
    for (let i = k + 1; i < m; i++) {
      let s = a[i * m + k]!;
      for (let t = 0; t < k; t++) s -= a[i * m + t]! * a[k * m + t]!;
      a[i * m + k] = s / l;
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = g[i]!;
    for (let t = 0; t < i; t++) s -= a[i * m + t]! * z[t]!;
    z[i] = s / a[i * m + i]!;
  }
  const s = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let v = z[i]!;
    for (let t = i + 1; t < m; t++) v -= a[t * m + i]! * s[t]!;
    s[i] = v / a[i * m + i]!;
  }
  return s;
}

/**
 * Fits the weights and intercept.
 *
 * @param x row-major `n × p` encoded features
 * @param y labels, each 0 or 1
 * @throws InputError when there are no rows or `x` has the wrong length
 */
export function fitLogisticRegression(x: Float64Array, y: Uint8Array, p: number, options: FitOptions = {}): FittedWeights {
  const n = y.length;
  if (n === 0) throw new InputError('cannot train on no rows');
  if (x.length !== n * p) throw new InputError(`expected ${n * p} encoded values for ${n} rows, got ${x.length}`);
  const l2 = options.l2 ?? 0.001;
  const solver = options.solver ?? 'newton';
  const maxIter = options.maxIter ?? (solver === 'newton' ? 25 : 300);
  const lr = options.learningRate ?? 0.5;
  const tol = options.tol ?? 1e-8;
  const m = p + 1; // weights, then the intercept
  const theta = new Float64Array(m);
  // Start the intercept at the log-odds of the base rate.
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const rate = Math.min(Math.max(pos / n, 1e-6), 1 - 1e-6);
  theta[p] = Math.log(rate / (1 - rate));
  const w = () => theta.subarray(0, p);
  let loss = objective(x, y, n, p, w(), theta[p]!, l2);
  let iterations = 0;

  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  for (let it = 1; it <= maxIter; it++) {
    iterations = it;
    grad.fill(0);
    if (solver === 'newton') hess.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let z = theta[p]!;
      for (let j = 0; j < p; j++) z += x[o + j]! * theta[j]!;
      const q = sigmoid(z);
      const r = q - y[i]!;
      for (let j = 0; j < p; j++) grad[j]! += r * x[o + j]!;
      grad[p]! += r;
      if (solver === 'newton') {
        const v = q * (1 - q);
        for (let j = 0; j < m; j++) {
          const xj = j < p ? x[o + j]! : 1;
          if (xj === 0) continue;
          for (let k = 0; k <= j; k++) hess[j * m + k]! += v * xj * (k < p ? x[o + k]! : 1);
        }
      }
    }
    for (let j = 0; j < m; j++) grad[j] = grad[j]! / n + (j < p ? l2 * theta[j]! : 0);

    let step: Float64Array;
    if (solver === 'newton') {
      for (let j = 0; j < m; j++) {
        for (let k = 0; k <= j; k++) {
          const h = hess[j * m + k]! / n + (j === k && j < p ? l2 : 0) + (j === k ? 1e-10 : 0);
          hess[j * m + k] = h;
          hess[k * m + j] = h;
        }
      }
      step = solveSpd(hess, grad, m);
    } else {
      step = grad.map((g) => lr * g);
    }
    // Step halving: never accept a step that raises the objective.
    let scale = 1;
    let next = theta.map((t, j) => t - step[j]!);
    let nextLoss = objective(x, y, n, p, next.subarray(0, p), next[p]!, l2);
    while (nextLoss > loss && scale > 1e-6) {
      scale /= 2;
      next = theta.map((t, j) => t - scale * step[j]!);
      nextLoss = objective(x, y, n, p, next.subarray(0, p), next[p]!, l2);
    }
    let moved = 0;
    for (let j = 0; j < m; j++) moved = Math.max(moved, Math.abs(next[j]! - theta[j]!));
    if (nextLoss <= loss) {
      theta.set(next);
      loss = nextLoss;
    }
    options.onIteration?.(it, maxIter, loss);
    if (moved <= tol || !(nextLoss <= loss)) break;
  }
  return { weights: Array.from(theta.subarray(0, p)), intercept: theta[p]!, iterations, loss };
}

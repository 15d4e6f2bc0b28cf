/**
 * Regression metrics with scikit-learn semantics.
 */
import type { RegressionMetrics } from './metric-sets';
import { checkAligned, FLOAT64_EPS, meanOf, sumOf, type NumericArray } from './numeric';

/** Mean absolute error, `mean(|y - yhat|)`. */
export function meanAbsoluteError(yTrue: NumericArray, yPred: NumericArray): number {
  const n = checkAligned({ yTrue, yPred });
  return meanOf(n, (i) => Math.abs(yTrue[i]! - yPred[i]!));
}

/** Mean squared error, `mean((y - yhat)^2)`. */
export function meanSquaredError(yTrue: NumericArray, yPred: NumericArray): number {
  const n = checkAligned({ yTrue, yPred });
  return meanOf(n, (i) => (yTrue[i]! - yPred[i]!) ** 2);
}

/**
 * Coefficient of determination, `1 - SS_res / SS_tot`, with scikit-learn's
 * `force_finite=True`: when `SS_tot` is 0 (constant `y`), 1 if the fit is perfect, else 0.
 * A constant `y` is detected by comparing the values, not by testing the computed `SS_tot`,
 * which rounding can leave at 1e-33 (numpy's mean of three 0.1 is 0.10000000000000002,
 * where scikit-learn would return a huge negative R2).
 *
 * @returns `NaN` with fewer than two rows (scikit-learn: "not well-defined")
 */
export function r2Score(yTrue: NumericArray, yPred: NumericArray): number {
  const n = checkAligned({ yTrue, yPred });
  if (n < 2) return Number.NaN;
  const ssRes = sumOf(n, (i) => (yTrue[i]! - yPred[i]!) ** 2);
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = yTrue[i] === yTrue[0];
  if (constant) return ssRes === 0 ? 1 : 0;
  const mean = meanOf(n, (i) => yTrue[i]!);
  const ssTot = sumOf(n, (i) => (yTrue[i]! - mean) ** 2);
  if (ssTot === 0) return ssRes === 0 ? 1 : 0; // underflow (values near 5e-324)
  return 1 - ssRes / ssTot;
}

/**
 * Mean absolute percentage error as a fraction (0.05 = 5 %):
 * `mean(|y - yhat| / max(|y|, eps))`, eps the float64 machine epsilon.
 */
export function meanAbsolutePercentageError(yTrue: NumericArray, yPred: NumericArray): number {
  const n = checkAligned({ yTrue, yPred });
  return meanOf(n, (i) => Math.abs(yTrue[i]! - yPred[i]!) / Math.max(Math.abs(yTrue[i]!), FLOAT64_EPS));
}

/** Every regression metric: MAE, MSE, RMSE = sqrt(MSE), R2 and MAPE. */
export function regressionMetrics(yTrue: NumericArray, yPred: NumericArray): RegressionMetrics {
  const mse = meanSquaredError(yTrue, yPred);
  return {
    mae: meanAbsoluteError(yTrue, yPred),
    mse,
    rmse: Math.sqrt(mse),
    r2: r2Score(yTrue, yPred),
    mape: meanAbsolutePercentageError(yTrue, yPred),
  };
}

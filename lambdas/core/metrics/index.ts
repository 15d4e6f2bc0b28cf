/**
 * Evaluation metrics: pure functions on label and score arrays, with scikit-learn
 * semantics, and the reader that turns a table into those arrays.
 */
export * from './metric-sets';
export { FLOAT64_EPS, type NumericArray } from './numeric';
export * from './ranking';
export * from './classification';
export * from './binary';
export * from './multiclass';
export * from './regression';
export * from './evaluate';
export * from './columns';

/** Live quality: ground-truth records, the join with captured predictions, score columns. */
export * from './ground-truth';
export * from './join';
export * from './prediction-values';
export * from './scores';
export * from './prediction-reference';

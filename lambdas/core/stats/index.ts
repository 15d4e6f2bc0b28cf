/**
 * Drift statistics of pitstop, following the recipes of
 * shared/testdata/reference-metrics (README and each file's `recipe` field).
 * All pure, no I/O.
 */
export * from './binning';
export * from './categories';
export * from './chisquare';
export * from './decimal-histogram';
export * from './divergence';
export * from './ecdf-walk';
export * from './ks';
export * from './linf';
export * from './moments';
export * from './sample';
export * from './sort';
export * from './parallel-sort';
export * from './value-store';
export * from './wasserstein';
export * from './ks-exact';
export * from './kstwo';
export * from './smirnov';
export * from './multiple-testing';
export * from './cramers-v';

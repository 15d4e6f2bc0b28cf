/** Batch transform input: the holdout's features as header-less CSV lines, and its labels. */
export * from './csv-line';
export * from './holdout-split';

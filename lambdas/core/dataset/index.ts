/** Assembling a retrain's training set and holdout from history and labeled production traffic. */
export * from './assemble';
export * from './history-rows';
export * from './manifest';
export * from './rows-table';
export * from './skew';
export * from './time-split';
export * from './training-rows';
export * from './training-schema';
export * from './write-channel';

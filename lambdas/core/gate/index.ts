/**
 * The promotion gate: rules on a candidate's metrics, alone and against production.
 */
export * from './types';
export * from './evaluate';
export * from './format';

/** Column typing and one-pass accumulators shared by profiles, drift and validation. */
export * from './column-accumulator';
export * from './column-types';
export * from './locate';
export * from '../readers/parse-number';
export * from './table-accumulator';

/** Dataset-level drift: per-feature statistics, methods, the report. */
export * from './compute-drift';
export * from './feature-drift';
export * from './format-report';
export * from './methods';
export * from './verdict';

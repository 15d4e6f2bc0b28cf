/** Data validation: checks, the row hash for duplicates, the report. */
export * from './checks';
export * from './format-report';
export * from './row-hash';
export * from './validate-data';

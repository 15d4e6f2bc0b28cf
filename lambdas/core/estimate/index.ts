/** Performance estimation without labels (CBPE): calibration, expected metrics, bands. */
export * from './estimate';
export * from './expected-metrics';
export * from './isotonic';
export * from './output-monitoring';

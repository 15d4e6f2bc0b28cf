/** The canary's policies: the smoke-test verdict and the per-stage breach policy. */
export * from './error-rate-test';
export * from './policy';
export * from './smoke-test';

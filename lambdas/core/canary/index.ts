/** The canary's policies: the smoke-test verdict and the per-stage breach policy. */
export * from './policy';
export * from './smoke-test';

/** Baseline profiles: building, merging, the JSON schema. */
export * from './build-profile';
export * from './feature-summary';
export * from './profile-schema';

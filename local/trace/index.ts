export * from './edges';
export * from './instrument';
export * from './records';

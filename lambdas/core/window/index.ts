/** Time windows of monitor runs: durations, window resolution, hour partitions. */
export { durationSeconds, durationSecondsOrProblem, formatDuration } from '../../../vocabulary/duration';
export * from './monitor-window';

/**
 * Sizing of the monitor's fan-out, from a read rate measured on pitstop's own reader.
 *
 * Measured: `pitstop drift` read SageMaker data-capture JSONL at about 45 MB/s (157 MB of
 * capture against a baseline profile in 6.8 s, one core of a 2-CPU x86-64 Linux machine,
 * Node 24). Lambda gives a 1,024 MB function a little more than half a vCPU, so the rate
 * is an upper bound there: the defaults leave a factor of three of headroom (below).
 *
 * - {@link DEFAULT_FAN_OUT_BYTES}: what one invocation reads in a third of its timeout
 *   (the single path's `validate` and `drift` Lambdas, 10 minutes each): 200 s at the rate.
 * - {@link DEFAULT_SHARD_BYTES}: what one child reads in 2 minutes at the rate, counting
 *   that a child reads its shard twice (one pass for validation, one for drift): 60 s of
 *   reading. A child's Lambda timeout stays under the 5-minute limit of an EXPRESS child
 *   execution, so 2 minutes leaves the same headroom.
 */

/** Capture JSONL read rate of the data core, bytes per second (see the module documentation). */
export const MEASURED_CAPTURE_BYTES_PER_SECOND = 45_000_000;

/** Timeout of the single path's window readers (`validate`, `drift`), in seconds. */
export const SINGLE_READER_TIMEOUT_SECONDS = 600;

/** Timeout of a fan-out child, in seconds: under the 5 minutes an EXPRESS execution may run. */
export const SHARD_READER_TIMEOUT_SECONDS = 240;

/** Passes a child makes over its shard (validation, then drift). */
export const SHARD_READ_PASSES = 2;

/** Default `monitor.fanOutBytes`: a third of the single reader's timeout at the measured rate (9 GB). */
export const DEFAULT_FAN_OUT_BYTES = (SINGLE_READER_TIMEOUT_SECONDS / 3) * MEASURED_CAPTURE_BYTES_PER_SECOND;

/** Default `monitor.shardBytes`: 2 minutes of one child's reading at the measured rate, over its passes (2.7 GB). */
export const DEFAULT_SHARD_BYTES = (120 / SHARD_READ_PASSES) * MEASURED_CAPTURE_BYTES_PER_SECOND;

/** Default `monitor.maxConcurrency`: child executions running at once. */
export const DEFAULT_MAX_CONCURRENCY = 40;

/**
 * The contracts of the monitor's fan-out (see docs/architecture.md, "Reading a large
 * window"): `planWindow` decides and writes the shard manifest, one `summarizeShard`
 * child per shard writes a partial summary, `reduceWindow` merges them into the outputs
 * `validate` and `drift` give on the single path. Also the shapes Step Functions writes
 * for a Distributed Map's ResultWriter (its `manifest.json` and result files), which the
 * reduce reads. Kept beside contracts.ts (whose shapes they reuse); FAN_OUT_CONTRACTS
 * lists the Lambdas' schemas as LAMBDA_CONTRACTS lists the others'.
 */
import { z } from 'zod';
import { DriftOutput, MonitorWindowInput, ValidateOutput } from './contracts';

const RunFields = {
  /** Model name from the config. */
  model: z.string(),
  /** Id of this run. */
  runId: z.string(),
};

/** One byte range of a shard (core/fanout/plan.ts ShardPiece). */
export const ShardPiece = z.object({ uri: z.string(), start: z.number().int().min(0), end: z.number().int().positive(), size: z.number().int().positive() });
/** One shard: a Distributed Map item. */
export const ShardItem = z.object({ index: z.number().int().min(0), bytes: z.number().int().min(0), pieces: z.array(ShardPiece) });

/** `planWindow`: lists the window's capture and decides how it is read. */
export const PlanWindowInput = z.object({
  ...RunFields,
  window: MonitorWindowInput,
  /** `monitor.fanOutBytes`. */
  fanOutBytes: z.number().int().positive(),
  /** `monitor.shardBytes`. */
  shardBytes: z.number().int().positive(),
  /** Where the fan-out's files go: `s3://<artifacts>/fanout/<model>/<runId>/`. */
  workUri: z.string(),
});
export const PlanWindowOutput = z.object({
  decision: z.enum(['single', 'fanOut']),
  /** Bytes and objects listed in the window. */
  bytes: z.number(),
  objects: z.number(),
  /** Shards planned (0 on the single path). */
  shards: z.number(),
  /** The manifest (a JSON array of ShardItem), for the Distributed Map's ItemReader; empty strings on the single path. */
  manifestBucket: z.string(),
  manifestKey: z.string(),
  /** Prefix (a key, ending in `/`) of the partial summaries. */
  partialsKey: z.string(),
});

/** `summarizeShard`: one child's work. */
export const SummarizeShardInput = z.object({
  ...RunFields,
  shard: ShardItem,
  baselineUri: z.string(),
  window: MonitorWindowInput,
  /** Bucket and key prefix of the partial summaries. */
  partialsBucket: z.string(),
  partialsKey: z.string(),
});
export const SummarizeShardOutput = z.object({
  shard: z.number(),
  partialUri: z.string(),
  rows: z.number(),
  bytes: z.number(),
});

/** Where a Distributed Map's ResultWriter wrote its manifest (the state's `ResultWriterDetails`). */
export const ResultWriterDetails = z.object({ Bucket: z.string(), Key: z.string() });

/** `reduceWindow`: merges the partial summaries. */
export const ReduceWindowInput = z.object({
  ...RunFields,
  baselineUri: z.string(),
  window: MonitorWindowInput,
  /** The plan's output. */
  plan: PlanWindowOutput,
  /** The Distributed Map's ResultWriterDetails. */
  results: ResultWriterDetails,
});
/** A tolerated loss (`monitor.toleratedFailurePercentage` > 0): the shards whose child failed. */
const LostShards = { lostShards: z.array(z.object({ shard: z.number(), bytes: z.number(), error: z.string() })).optional() };
export const ReduceWindowOutput = z.object({
  validation: ValidateOutput.extend(LostShards),
  drift: DriftOutput.extend(LostShards),
});

/** One entry of a ResultWriter result file (`SUCCEEDED_n.json`, `FAILED_n.json`, `PENDING_n.json`). */
export const MapRunResult = z.object({
  ExecutionArn: z.string().optional(),
  Name: z.string().optional(),
  /** The child's input and output, as JSON text. */
  Input: z.string().optional(),
  Output: z.string().optional(),
  Status: z.string(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
});
/** The ResultWriter's `manifest.json`. */
export const MapRunManifest = z.object({
  DestinationBucket: z.string(),
  MapRunArn: z.string(),
  ResultFiles: z.object({
    FAILED: z.array(z.object({ Key: z.string(), Size: z.number() })).default([]),
    PENDING: z.array(z.object({ Key: z.string(), Size: z.number() })).default([]),
    SUCCEEDED: z.array(z.object({ Key: z.string(), Size: z.number() })).default([]),
  }),
});

export type ShardItem = z.infer<typeof ShardItem>;
export type PlanWindowInput = z.infer<typeof PlanWindowInput>;
export type PlanWindowOutput = z.infer<typeof PlanWindowOutput>;
export type SummarizeShardInput = z.infer<typeof SummarizeShardInput>;
export type SummarizeShardOutput = z.infer<typeof SummarizeShardOutput>;
export type ReduceWindowInput = z.infer<typeof ReduceWindowInput>;
export type ReduceWindowOutput = z.infer<typeof ReduceWindowOutput>;
export type MapRunResult = z.infer<typeof MapRunResult>;
export type MapRunManifest = z.infer<typeof MapRunManifest>;

/** Input and output schema of each fan-out Lambda, by its key in `PitstopFunctions`. */
export const FAN_OUT_CONTRACTS = {
  planWindow: { input: PlanWindowInput, output: PlanWindowOutput },
  summarizeShard: { input: SummarizeShardInput, output: SummarizeShardOutput },
  reduceWindow: { input: ReduceWindowInput, output: ReduceWindowOutput },
} as const;

/**
 * The Retrain's state layout: every top-level field of its state, as the JSONPath the
 * states read and write. A phase writes its results under its own fields and reads
 * the fields of the phases before it; nothing else lives at the top level.
 *
 * Before `Prepare run` the state is the input wrapped by `Apply defaults`
 * ({@link RETRAIN_START_PATHS}); `Prepare run` replaces it with `request`, `run`,
 * `guard` and `endpointChange`, and every later state adds to that.
 */
import { FAILURE_PATH } from '../steps';

/** The top-level fields of the Retrain's state, by name. */
export const RETRAIN_PATHS = {
  // ---- guard ----
  /** The input merged over its defaults: `reason`, `force`, `trigger`, `alarmName`. */
  request: '$.request',
  /** The run's id and every name and URI it uses: job names, model name, S3 URIs of its artifacts. */
  run: '$.run',
  /** `{ taken }`: true once this run holds the model's run lock (the finish releases it then). */
  guard: '$.guard',
  /** The lock's expiry in epoch seconds (statemachines/clock.ts). */
  clock: '$.clock',
  /** The model's production state item as read (DynamoDB GetItem output). */
  state: '$.state',
  /** `{ baselineUri }` of the production model, `''` when none is recorded. */
  previous: '$.previous',
  // ---- train ----
  /** The training data's validation result (`validate` Lambda). */
  validation: '$.validation',
  /** `{ bestTrainingJob }` of a tuning job. */
  tuning: '$.tuning',
  /** `{ jobName, modelArtifacts }` of the candidate's training job. */
  training: '$.training',
  /** `{ modelArn }` of the candidate's SageMaker model. */
  candidate: '$.candidate',
  /** The candidate's baseline profile (`profile` Lambda). */
  baseline: '$.baseline',
  // ---- score ----
  /** `{ exists, configName, status? }` of the production endpoint. */
  endpoint: '$.endpoint',
  /** `{ variants }` of the production endpoint's config. */
  productionConfig: '$.productionConfig',
  /** The transform input and labels of the holdout (`prepareHoldout` Lambda). */
  holdout: '$.holdout',
  /** `{ candidateUri, productionUri }`: where the predictions on the holdout are (`''` without production). */
  transforms: '$.transforms',
  // ---- promote ----
  /** Metrics and the gate's verdict (`evaluate` Lambda). */
  evaluation: '$.evaluation',
  /** `{ arn }` of the registered model package. */
  package: '$.package',
  /** The approver's answer (manual approval only). */
  approval: '$.approval',
  // ---- deploy ----
  /** `{ kind: 'none' | 'canary' | 'created', previousConfigName? }`: what the finish must restore on a failure. */
  endpointChange: '$.endpointChange',
  /** `{ output }` of the Canary execution. */
  canary: '$.canary',
  /** The failed Canary execution's error and cause, read from the caught cause. */
  canaryFailure: '$.canaryFailure',
  /** The endpoint poll of a first deployment (statemachines/steps.ts pollEndpoint). */
  poll: '$.poll',
  /** `{ error, cause }` of a failed first deployment. */
  failure: FAILURE_PATH,
  /** `{ configName, previousConfigName }` now serving. */
  deployed: '$.deployed',
  // ---- finish ----
  /** `{ outcome, error, cause }`: how the run ended; set by every end, read by the finish. */
  end: '$.end',
  /** The last error caught by a state that routes on it. */
  caught: '$.caught',
  /** The Rollback execution started to restore the endpoint. */
  rollback: '$.rollback',
  /** Times the report computed: `finishedAt`, `nextEligibleAt`, `maxAgeAt`, `retryAfterAt`. */
  report: '$.report',
  /** Errors of steps that are best effort or on the way to an end: kept, never routed on. */
  registerError: '$.registerError',
  rollbackError: '$.rollbackError',
  deleteError: '$.deleteError',
  reportError: '$.reportError',
  recordError: '$.recordError',
  releaseError: '$.releaseError',
  notifyError: '$.notifyError',
  metricError: '$.metricError',
  eventError: '$.eventError',
} as const;

/** A top-level field of the Retrain's state. */
export type RetrainField = keyof typeof RETRAIN_PATHS;

/** The fields of the state between `Apply defaults` and `Prepare run`. */
export const RETRAIN_START_PATHS = {
  /** The input's defaults. */
  defaults: '$.defaults',
  /** The execution's input as given. */
  input: '$.input',
  /** The random part of the run id. */
  id: '$.id',
} as const;

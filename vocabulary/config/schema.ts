/** The schema of a whole pitstop config file: a version and one or more models. */
import { z } from 'zod';
import { MAX_QUALIFIED_NAME_LENGTH, qualifiedModelName, STAGE_EXPECTED, STAGE_PATTERN } from '../stages';
import { patternString } from './fields';
import { ALWAYS, MIN_COMPLIANT_LOG_RETENTION_DAYS, ModelConfigSchema } from './model-schema';

/**
 * How far the stacks go to pass AWS Control Tower's proactive controls:
 * - `standard`: every control but the opinionated ones (Lambdas in a VPC, S3 Object
 *   Lock, S3 event notifications);
 * - `control-tower`: every control, with the Lambdas in each model's `network`.
 */
export const COMPLIANCE_MODES = ['standard', 'control-tower'] as const;
/** A compliance mode. */
export type Compliance = (typeof COMPLIANCE_MODES)[number];

/** The config file: `{ version: 1, models: [...] }`. Model names and endpoint names are unique. */
export const PitstopConfigSchema = z
  .strictObject({
    /** Config format version. @default 1 */
    version: z.literal(1).default(1),
    /** Which Control Tower proactive controls the stacks pass (see COMPLIANCE_MODES). @default 'standard' */
    compliance: z.enum(COMPLIANCE_MODES).default('standard'),
    /**
     * Deploys the models under `<stage>-<model>` (stack `Pitstop-<stage>-<model>`), so two
     * stages of one model live side by side in one account and Region. The CDK context
     * `stage` replaces it. @default none
     */
    stage: patternString(STAGE_PATTERN, STAGE_EXPECTED).optional(),
    /** The models pitstop looks after (at least one). */
    models: z.array(ModelConfigSchema).min(1),
  })
  .superRefine((config, ctx) => {
    const models: unknown[] = Array.isArray(config.models) ? config.models : [];
    for (const key of ['name', 'endpointName'] as const) {
      const seen = new Map<string, number>();
      models.forEach((model, i) => {
        const value = typeof model === 'object' && model !== null ? (model as Record<string, unknown>)[key] : undefined;
        if (typeof value !== 'string') return;
        const first = seen.get(value);
        if (first === undefined) seen.set(value, i);
        else ctx.addIssue({ code: 'custom', path: ['models', i, key], message: `duplicate model ${key} ${JSON.stringify(value)} (also models[${first}])` });
      });
    }
    if (typeof config.stage === 'string') {
      models.forEach((model, i) => {
        const name = typeof model === 'object' && model !== null ? (model as Record<string, unknown>).name : undefined;
        if (typeof name !== 'string') return;
        const qualified = qualifiedModelName(name, config.stage);
        if (qualified.length > MAX_QUALIFIED_NAME_LENGTH) {
          ctx.addIssue({ code: 'custom', path: ['models', i, 'name'], message: `with stage "${config.stage}" the model is deployed as "${qualified}", ${qualified.length} characters; at most ${MAX_QUALIFIED_NAME_LENGTH}` });
        }
      });
    }
    if (config.compliance === 'control-tower') {
      models.forEach((model, i) => {
        const m = typeof model === 'object' && model !== null ? (model as Record<string, unknown>) : undefined;
        if (!m) return;
        if (m.network === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', i, 'network'],
            message: 'required when compliance is "control-tower" (CT.LAMBDA.PR.3 wants every Lambda in a VPC): {"subnetIds": [...], "securityGroupIds": [...]}',
          });
        }
        const days = m.logRetentionDays;
        if (typeof days === 'number' && days < MIN_COMPLIANT_LOG_RETENTION_DAYS) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', i, 'logRetentionDays'],
            input: days,
            message: `expected at least ${MIN_COMPLIANT_LOG_RETENTION_DAYS} when compliance is "control-tower" (CT.CLOUDWATCH.PR.2), got ${days}; a shorter retention needs compliance "standard"`,
          });
        }
      });
    }
  }, ALWAYS);

/** A parsed model configuration, every default applied. */
export type ModelConfig = z.output<typeof ModelConfigSchema>;
/** A model configuration as written in the config file. */
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;
/** A parsed config, every default applied. */
export type PitstopConfig = z.output<typeof PitstopConfigSchema>;
/** A config as written in the config file. */
export type PitstopConfigInput = z.input<typeof PitstopConfigSchema>;

/** Parsed sections of a model, for functions that need only one. */
export type FeatureConfig = NonNullable<ModelConfig['features']>[number];
export type DataConfig = ModelConfig['data'];
export type { CaptureConfig } from './capture-schema';
export type TrainingConfig = ModelConfig['training'];
export type TuningConfig = NonNullable<TrainingConfig['tuning']>;
export type TriggersConfig = ModelConfig['triggers'];
export type DriftTriggerConfig = TriggersConfig['drift'];
export type QualityTriggerConfig = NonNullable<TriggersConfig['quality']>;
export type ValidationConfig = ModelConfig['validation'];
export type GateConfig = ModelConfig['gate'];
export type AbsoluteGateRule = GateConfig['absolute'][number];
export type RelativeGateRule = GateConfig['relative'][number];
export type PrimaryGateRule = NonNullable<GateConfig['primary']>;
export type CanaryConfig = ModelConfig['canary'];
export type CanaryStage = CanaryConfig['stages'][number];
export type CustomMetricConfig = NonNullable<CanaryConfig['customMetric']>;
export type ApprovalConfig = ModelConfig['approval'];
export type NotificationsConfig = ModelConfig['notifications'];
export type NetworkConfig = NonNullable<ModelConfig['network']>;

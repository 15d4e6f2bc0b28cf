/**
 * `PitstopStack`: one CloudFormation stack per model.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ModelConfig } from '../vocabulary/config/index';
import { STACK_OUTPUT_KEYS } from '../vocabulary/pipeline-names';
import { PitstopPipeline, type PitstopPipelineProps } from './pipeline';

/** Properties of {@link PitstopStack}. */
export interface PitstopStackProps extends StackProps {
  /** The model whose pipeline the stack holds. */
  readonly model: ModelConfig;
  /**
   * Further pipeline settings (existing bucket or topic, state machines).
   * @default none
   */
  readonly pipeline?: Omit<PitstopPipelineProps, 'model'>;
}

/**
 * The CloudFormation stack name of a model's stack: `Pitstop-<model>`, where the model
 * name is the qualified one in a stage (`Pitstop-<stage>-<model>`, vocabulary/stages.ts).
 */
export function stackNameFor(model: Pick<ModelConfig, 'name'>): string {
  return `Pitstop-${model.name}`;
}

export { STACK_OUTPUT_KEYS };

/**
 * The stack of one model's pipeline. Environment-agnostic unless `env` is given:
 * nothing in it looks up the account or the region at synth.
 *
 * @example
 * new PitstopStack(app, stackNameFor(model), { model });
 */
export class PitstopStack extends Stack {
  /** The model's pipeline. */
  public readonly pipeline: PitstopPipeline;

  public constructor(scope: Construct, id: string, props: PitstopStackProps) {
    super(scope, id, {
      description: `pitstop: keeps the SageMaker model "${props.model.name}" (endpoint ${props.model.endpointName}) healthy`,
      ...props,
    });
    // The pipeline outputs its state machines' ARNs (infra/outputs.ts).
    this.pipeline = new PitstopPipeline(this, 'Pipeline', { ...props.pipeline, model: props.model });
  }
}

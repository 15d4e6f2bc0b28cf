/**
 * The graphs of the config variants: each variant's four state machines synthesized
 * (the `PitstopStateMachines` construct in a bare stack, definitions resolved to
 * plain ASL), one graph per distinct shape ({@link graphKey}) per machine.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Template } from 'aws-cdk-lib/assertions';
import { ModelConfigSchema, type ModelConfigInput } from '../../vocabulary/config/index';
import { resolveStateMachines, type SynthesizedTemplate } from '../../local/asl';
import { graphEdges, graphKey, type Edge } from '../../local/trace';
import { PitstopStateMachines, STATE_MACHINE_KINDS, type PitstopFunctions, type StateMachineKind } from '../../statemachines';
import { variantModel, type ConfigVariant } from './variants';

/** One graph to cover. */
export interface Graph {
  readonly machine: string;
  /** The variants that produce it, comma separated. */
  readonly variant: string;
  readonly key: string;
  readonly edges: readonly Edge[];
}

const FUNCTIONS = ['validate', 'profile', 'drift', 'quality', 'prepareDataset', 'prepareHoldout', 'evaluate', 'smokeTest', 'canaryCheck', 'report'] as const;

/** The resolved definitions of one model's four state machines. */
export function synthesizeDefinitions(input: ModelConfigInput): Record<StateMachineKind, Record<string, unknown>> {
  const model = ModelConfigSchema.parse(input);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Coverage', { env: { account: '123456789012', region: 'us-east-1' } });
  const functions = Object.fromEntries(
    FUNCTIONS.map((name) => [
      name,
      new lambda.Function(stack, `${name}Function`, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});') }),
    ]),
  ) as unknown as PitstopFunctions;
  const machines = new PitstopStateMachines(stack, 'Machines', { model, bucket: new s3.Bucket(stack, 'Artifacts'), topic: new sns.Topic(stack, 'Topic'), functions });
  const resolved = resolveStateMachines(Template.fromStack(stack).toJSON() as SynthesizedTemplate);
  const definition = (kind: StateMachineKind) => {
    const id = stack.getLogicalId(machines[kind].node.defaultChild as never);
    const found = resolved.find((r) => r.logicalId === id);
    if (!found) throw new Error(`state machine ${kind} (${id}) not in the template`);
    return found.definition;
  };
  return Object.fromEntries(STATE_MACHINE_KINDS.map((k) => [k, definition(k)])) as Record<StateMachineKind, Record<string, unknown>>;
}

/** Adds the graphs of one machine's definition to `graphs`, merging equal shapes. */
export function addGraph(graphs: Graph[], machine: string, variant: string, definition: Record<string, unknown>): void {
  const key = graphKey(definition);
  const i = graphs.findIndex((g) => g.key === key);
  if (i >= 0) graphs[i] = { ...graphs[i]!, variant: `${graphs[i]!.variant}, ${variant}` };
  else graphs.push({ machine, variant, key, edges: graphEdges(definition) });
}

/** Every distinct graph of the variants, by machine in synthesis order. */
export function variantGraphs(variants: readonly ConfigVariant[]): Graph[] {
  const graphs: Graph[] = [];
  for (const variant of variants) {
    const definitions = synthesizeDefinitions(variantModel(variant));
    for (const kind of STATE_MACHINE_KINDS) addGraph(graphs, kind, variant.name, definitions[kind]);
  }
  return graphs.sort((a, b) => STATE_MACHINE_KINDS.indexOf(a.machine as StateMachineKind) - STATE_MACHINE_KINDS.indexOf(b.machine as StateMachineKind));
}

/**
 * Synthesizes the CDK app in-process for local mode: the same `PitstopStack` that
 * `cdk deploy` deploys, so local runs execute the real state machine definitions,
 * alarms and rules. Lambda bundling is skipped (local mode runs the handler modules
 * in-process), which keeps this to a few seconds.
 */
import { App, Stack } from 'aws-cdk-lib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compliance, ModelConfig } from '../vocabulary/config/index';
import { PitstopStack, stackNameFor } from '../infra/stack';
import type { SynthesizedTemplate } from './asl';

/** A synthesized stack: its template and the model it serves. */
export interface SynthesizedModel {
  readonly model: ModelConfig;
  readonly stackName: string;
  readonly template: SynthesizedTemplate & { readonly Resources: Record<string, { Type: string; Properties?: Record<string, any> }> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Options of {@link synthesizeModel}. */
export interface SynthesizeOptions {
  /** The config's compliance mode. @default 'standard' */
  readonly compliance?: Compliance;
}

/** Synthesizes one model's stack and returns its CloudFormation template. */
export function synthesizeModel(model: ModelConfig, options: SynthesizeOptions = {}): SynthesizedModel {
  const outdir = mkdtempSync(join(tmpdir(), 'pitstop-synth-'));
  try {
    // An empty bundling-stacks list tells CDK to bundle no asset: local mode imports
    // the handler sources directly.
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stackName = stackNameFor(model);
    const stack = new PitstopStack(app, stackName, { model, pipeline: { compliance: options.compliance ?? 'standard' } });
    const assembly = app.synth();
    const template = assembly.getStackByName(Stack.of(stack).stackName).template;
    return { model, stackName, template };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Synthesizes the CDK app in-process for local mode: the same `PitstopStack` that
 * `cdk deploy` deploys, so local runs execute the real state machine definitions,
 * alarms and rules. Lambda bundling is skipped (local mode runs the handler modules
 * in-process), which keeps this to a few seconds.
 */
import { App, Stack } from 'aws-cdk-lib';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compliance, ModelConfig } from '../vocabulary/config/index';
import { PitstopStack, stackNameFor } from '../infra/stack';
import type { SynthesizedTemplate } from './asl';

/** A file asset of the stack (packaging `file`): where `cdk deploy` uploads it, and its bytes. */
export interface SynthesizedFileAsset {
  /** Bucket name as the asset manifest gives it (may hold `${AWS::AccountId}` and `${AWS::Region}`). */
  readonly bucketName: string;
  readonly objectKey: string;
  readonly bytes: Uint8Array;
}

/** A synthesized stack: its template and the model it serves. */
export interface SynthesizedModel {
  readonly model: ModelConfig;
  readonly stackName: string;
  /** The stack's file assets (a framework's sourcedir.tar.gz), for local mode to put in its S3. */
  readonly fileAssets: readonly SynthesizedFileAsset[];
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
    const artifact = assembly.getStackByName(Stack.of(stack).stackName);
    return { model, stackName, template: artifact.template, fileAssets: fileAssetsOf(outdir, artifact.stackName) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

interface AssetManifest {
  files?: Record<string, { source?: { path?: string; packaging?: string }; destinations?: Record<string, { bucketName: string; objectKey: string }> }>;
}

/** The `file` assets of a stack, read from its asset manifest before the output directory is removed. */
function fileAssetsOf(outdir: string, stackName: string): SynthesizedFileAsset[] {
  const manifestPath = join(outdir, `${stackName}.assets.json`);
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as AssetManifest;
  const out: SynthesizedFileAsset[] = [];
  for (const entry of Object.values(manifest.files ?? {})) {
    // The template itself is a file asset too: local mode has it already.
    if (entry.source?.packaging !== 'file' || !entry.source.path || entry.source.path.endsWith('.template.json')) continue;
    const path = join(outdir, entry.source.path);
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    const bytes = new Uint8Array(readFileSync(path));
    for (const d of Object.values(entry.destinations ?? {})) out.push({ bucketName: d.bucketName, objectKey: d.objectKey, bytes });
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { FUNCTION_DIRS, LAMBDA_BUNDLING, handlerEntry, type FunctionKey } from '../../infra/functions';
import { MAX_BUNDLE_BYTES, bundleSize, esbuildOptions } from '../../scripts/bundle-sizes';

describe('Function: bundleSize', () => {
  it.each(Object.keys(FUNCTION_DIRS) as FunctionKey[])('bundles %s under 1 MB', async (key) => {
    const { bytes } = await bundleSize(key);
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it('covers every handler folder, prepare-holdout included', () => {
    expect(Object.keys(FUNCTION_DIRS)).toContain('prepareHoldout');
    expect(handlerEntry('prepareHoldout')).toMatch(/\/lambdas\/prepare-holdout\/handler\.ts$/);
  });

  it('leaves the AWS SDK out of the bundle, as the construct does', async () => {
    expect(esbuildOptions('canaryCheck')).toMatchObject({ external: ['@aws-sdk/*'], minify: true, sourcemap: false, write: false });
    expect(LAMBDA_BUNDLING.forceDockerBundling).toBe(false);
    const { build } = await import('esbuild');
    const out = await build(esbuildOptions('canaryCheck'));
    const text = new TextDecoder().decode(out.outputFiles[0]!.contents);
    expect(text).toMatch(/require\("@aws-sdk\/client-cloudwatch"\)/);
  });
});

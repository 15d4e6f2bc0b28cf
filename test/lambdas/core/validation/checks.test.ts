import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATION_THRESHOLDS, resolveThresholds } from '../../../../lambdas/core/validation/checks';
import { ValidationSchema } from '../../../../vocabulary/config/model-schema';
import { esbuildOptions } from '../../../../scripts/bundle-sizes';

describe('Constant: DEFAULT_VALIDATION_THRESHOLDS', () => {
  it('is what the config schema gives an empty validation block', () => {
    // Act
    const fromSchema = ValidationSchema.parse({});
    // Assess: the same fields and numbers, whichever module applies the defaults
    expect(DEFAULT_VALIDATION_THRESHOLDS).toEqual(fromSchema);
    expect(resolveThresholds({ minRows: 7 })).toEqual({ ...fromSchema, minRows: 7 });
  });

  it('leaves the config schema out of the validate Lambda bundle', async () => {
    // Prepare
    const options = { ...esbuildOptions('validate'), metafile: true };
    // Act
    const result = await build(options);
    // Assess: the defaults module is bundled, the zod schemas of the config are not
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs).toContain('vocabulary/config/validation-defaults.ts');
    expect(inputs.filter((p) => /vocabulary\/config\/(model-schema|schema|capture-schema|fields|checks)\.ts$/.test(p))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { resolvedSpecifier, rewriteSpecifiers } from '../../scripts/build';

/** A built tree: these files exist. */
const built = new Set(['/pkg/dist/infra/pipeline.js', '/pkg/dist/infra/pipeline.d.ts', '/pkg/dist/statemachines/index.js', '/pkg/dist/statemachines/index.d.ts', '/pkg/dist/vocabulary/only-types.d.ts']);
const exists = (path: string) => built.has(path);

describe('Function: resolvedSpecifier', () => {
  it('gives a relative import its file (.js) or folder index, and leaves packages and explicit files alone', () => {
    // Act / Assess
    expect(resolvedSpecifier('/pkg/dist/index.js', './infra/pipeline', exists)).toBe('./infra/pipeline.js');
    expect(resolvedSpecifier('/pkg/dist/index.js', './statemachines', exists)).toBe('./statemachines/index.js');
    expect(resolvedSpecifier('/pkg/dist/infra/x.js', '../statemachines/', exists)).toBe('../statemachines/index.js');
    expect(resolvedSpecifier('/pkg/dist/index.js', 'aws-cdk-lib/aws-s3', exists)).toBe('aws-cdk-lib/aws-s3');
    expect(resolvedSpecifier('/pkg/dist/index.js', 'node:fs', exists)).toBe('node:fs');
    expect(resolvedSpecifier('/pkg/dist/index.js', './data.json', exists)).toBe('./data.json');
  });

  it('resolves a module of types only for a declaration file, and refuses a specifier that names nothing built', () => {
    // Act / Assess
    expect(resolvedSpecifier('/pkg/dist/index.d.ts', './vocabulary/only-types', exists)).toBe('./vocabulary/only-types.js');
    expect(() => resolvedSpecifier('/pkg/dist/index.js', './vocabulary/only-types', exists)).toThrow(/names no built file/);
    expect(() => resolvedSpecifier('/pkg/dist/index.js', './missing', exists)).toThrow('/pkg/dist/index.js: the import "./missing" names no built file');
  });
});

describe('Function: rewriteSpecifiers', () => {
  it('rewrites static, re-export, type and dynamic imports in place, keeping everything else', () => {
    // Prepare
    const text = [
      "import { PitstopPipeline } from './infra/pipeline';",
      'export * from "./statemachines";',
      "export type { X } from './vocabulary/only-types';",
      "const m = await import('./infra/pipeline');",
      "import { Stack } from 'aws-cdk-lib';",
      "const s = './infra/pipeline'; // a string, not an import",
    ].join('\n');
    // Act
    const out = rewriteSpecifiers('/pkg/dist/index.d.ts', text, exists);
    // Assess
    expect(out.split('\n')).toEqual([
      "import { PitstopPipeline } from './infra/pipeline.js';",
      'export * from "./statemachines/index.js";',
      "export type { X } from './vocabulary/only-types.js';",
      "const m = await import('./infra/pipeline.js');",
      "import { Stack } from 'aws-cdk-lib';",
      "const s = './infra/pipeline'; // a string, not an import",
    ]);
  });
});

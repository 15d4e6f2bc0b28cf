import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLayers, collectSources, importCycles, importEdges, importsOf, installedDependencies, layerOf, layerProblem, moduleReferencesOf } from '../../scripts/layers';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Sources of a small made-up tree. */
const tree = (files: Record<string, string>) => new Map(Object.entries(files));

describe('Function: checkLayers (the repository)', () => {
  const sources = collectSources(REPO);

  it('finds the sources of every layer', () => {
    // Assess: a file of each layer is among the sources, tests and node_modules are not layered
    for (const path of ['vocabulary/contracts.ts', 'lambdas/validate/handler.ts', 'statemachines/steps.ts', 'infra/stack.ts', 'local/dispatch.ts', 'bin/app.ts', 'index.ts']) {
      expect(sources.has(path), path).toBe(true);
      expect(layerOf(path), path).toBeDefined();
    }
    expect([...sources.keys()].some((p) => p.startsWith('node_modules/'))).toBe(false);
    expect(layerOf('test/scripts/layers.test.ts')).toBeUndefined();
  });

  it('has no upward import, no sibling import and no CDK import below infra', () => {
    // Act
    const report = checkLayers(sources, installedDependencies(REPO));
    // Assess
    expect(report.violations).toEqual([]);
  });

  it('has no import cycle', () => {
    const report = checkLayers(sources);
    expect(report.cycles).toEqual([]);
  });

  it('fails once a vocabulary module imports an infra construct (an extra edge in memory)', () => {
    // Prepare: the real tree with one upward import added, type-only at that
    const changed = new Map(sources);
    changed.set('vocabulary/errors.ts', `import type { PitstopStack } from '../infra/stack';\n${sources.get('vocabulary/errors.ts')}`);
    // Act
    const report = checkLayers(changed);
    // Assess
    expect(report.violations).toEqual(['vocabulary/errors.ts (vocabulary) imports infra/stack.ts (infra), a layer above it']);
  });

  it('fails once a Lambda module refers to a construct through new URL or createRequire (run-time references)', () => {
    // Prepare: the real tree with one upward reference of each kind added
    const changed = new Map(sources);
    changed.set('lambdas/core/errors-extra.ts', "const stack = new URL('../../infra/stack.ts', import.meta.url);\nconst cli = createRequire(import.meta.url)('../../bin/cli/main');\n");
    // Act
    const report = checkLayers(changed);
    // Assess
    expect(report.violations).toEqual([
      'lambdas/core/errors-extra.ts (lambdas) refers to infra/stack.ts (infra), a layer above it',
      'lambdas/core/errors-extra.ts (lambdas) refers to bin/cli/main.ts (bin), a layer above it',
    ]);
  });

  it('fails once a state machine module imports a Lambda contract from a handler (a sibling)', () => {
    const changed = new Map(sources);
    changed.set('statemachines/steps.ts', `${sources.get('statemachines/steps.ts')}\nexport { handler } from '../lambdas/validate/handler';\n`);
    expect(checkLayers(changed).violations).toEqual(['statemachines/steps.ts (statemachines) imports lambdas/validate/handler.ts (lambdas), a sibling on its level']);
  });
});

describe('Function: importsOf', () => {
  it('reads static, type-only, re-export, dynamic and require imports', () => {
    // Prepare
    const text = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "export { c } from './c';",
      "export * from './d';",
      "const e = await import('./e');",
      "const f = require('./f');",
      "type G = import('./g').G;",
      "import './h';",
      "// import { z } from './not-an-import';",
      "const s = \"import { y } from './in-a-string'\";",
    ].join('\n');
    // Act
    const specifiers = importsOf(text);
    // Assess
    expect(specifiers.sort()).toEqual(['./a', './b', './c', './d', './e', './f', './g', './h']);
  });
});

describe('Function: layerProblem', () => {
  it('lets a layer import itself and every layer below it', () => {
    const { violations, cycles } = checkLayers(
      tree({
        'index.ts': "export * from './infra/stack';",
        'bin/app.ts': "import '../local/synth'; import '../infra/stack'; import '../vocabulary/errors';",
        'local/synth.ts': "import '../infra/stack'; import '../examples/data/generate'; import '../lambdas/core/x';",
        'infra/stack.ts': "import '../statemachines/steps'; import '../lambdas/runtime/settings'; import 'aws-cdk-lib';",
        'statemachines/steps.ts': "import '../vocabulary/contracts'; import 'aws-cdk-lib/aws-stepfunctions';",
        'lambdas/core/x.ts': "import '../../vocabulary/errors';",
        'lambdas/runtime/settings.ts': "import '../core/x'; import 'zod';",
        'examples/data/generate.ts': "import '../../vocabulary/errors';",
        'vocabulary/contracts.ts': "import { z } from 'zod'; import './errors';",
        'vocabulary/errors.ts': '',
        'test/anything.test.ts': "import '../bin/app'; import '../vocabulary/errors';",
      }),
    );
    expect(violations).toEqual([]);
    expect(cycles).toEqual([]);
  });

  it('refuses an import of a layer above, of a sibling, of a file outside the layers', () => {
    // Prepare
    const files = tree({
      'vocabulary/names.ts': "export { x } from '../lambdas/core/x';",
      'lambdas/core/x.ts': "const s = await import('../../statemachines/steps');",
      'statemachines/steps.ts': "import type { Stack } from '../infra/stack';",
      'infra/stack.ts': "import '../test/helpers';",
      'test/helpers.ts': '',
    });
    // Act
    const { violations } = checkLayers(files);
    // Assess
    expect(violations).toEqual([
      'vocabulary/names.ts (vocabulary) imports lambdas/core/x.ts (lambdas), a layer above it',
      'lambdas/core/x.ts (lambdas) imports statemachines/steps.ts (statemachines), a sibling on its level',
      'statemachines/steps.ts (statemachines) imports infra/stack.ts (infra), a layer above it',
      'infra/stack.ts (infra) imports test/helpers.ts, which is outside the layers',
    ]);
  });

  it('refuses the CDK in the vocabulary and in the Lambdas, packages elsewhere pass', () => {
    expect(layerProblem({ from: 'vocabulary/a.ts', specifier: 'aws-cdk-lib/aws-s3' })).toBe('vocabulary/a.ts (vocabulary) imports aws-cdk-lib/aws-s3, which vocabulary may not use');
    expect(layerProblem({ from: 'lambdas/a/handler.ts', specifier: 'constructs' })).toMatch(/lambdas may not use/);
    expect(layerProblem({ from: 'lambdas/a/handler.ts', specifier: '@aws-sdk/client-s3' })).toBeUndefined();
    expect(layerProblem({ from: 'infra/a.ts', specifier: 'cdk-nag' })).toBeUndefined();
  });

  it('refuses the CDK by scope, by the CLI package and by a dependency on it', () => {
    // Prepare: a made-up package that depends on constructs
    const dependenciesOf = (pkg: string) => (pkg === 'cdk-helper' ? ['zod', 'constructs'] : []);
    // Assess
    expect(layerProblem({ from: 'lambdas/a.ts', specifier: '@aws-cdk/aws-lambda-go-alpha' })).toMatch(/lambdas may not use/);
    expect(layerProblem({ from: 'vocabulary/a.ts', specifier: '@cdklabs/cdk-validator-cfnguard' })).toMatch(/vocabulary may not use/);
    expect(layerProblem({ from: 'vocabulary/a.ts', specifier: 'aws-cdk' })).toMatch(/vocabulary may not use/);
    expect(layerProblem({ from: 'lambdas/a.ts', specifier: 'cdk-helper/x' }, dependenciesOf)).toBe(
      'lambdas/a.ts (lambdas) imports cdk-helper/x, which depends on constructs, which lambdas may not use',
    );
    expect(layerProblem({ from: 'lambdas/a.ts', specifier: 'aws-cdk-libx' }, dependenciesOf)).toBeUndefined();
    expect(layerProblem({ from: 'lambdas/a.ts', specifier: 'zod' }, dependenciesOf)).toBeUndefined();
    expect(layerProblem({ from: 'lambdas/a.ts', specifier: '@cdklabs/x', reference: true })).toMatch(/refers to @cdklabs\/x/);
  });

  it('lets a run-time reference point down or at a non-source, not up', () => {
    // Assess
    expect(layerProblem({ from: 'infra/functions.ts', specifier: '../lambdas/', to: 'lambdas/', reference: true })).toBeUndefined();
    expect(layerProblem({ from: 'infra/functions.ts', specifier: '../package.json', to: 'package.json', reference: true })).toBeUndefined();
    expect(layerProblem({ from: 'statemachines/a.ts', specifier: '../lambdas/x/handler.ts', to: 'lambdas/x/handler.ts', reference: true })).toBe(
      'statemachines/a.ts (statemachines) refers to lambdas/x/handler.ts (lambdas), a sibling on its level',
    );
  });
});

describe('Function: moduleReferencesOf', () => {
  it('reads relative new URL references and createRequire calls, not absolute URLs or plain strings', () => {
    // Prepare
    const text = [
      "const dir = fileURLToPath(new URL('../lambdas/', import.meta.url));",
      'const here = new URL(import.meta.url);',
      "const site = new URL('https://example.com/a', import.meta.url);",
      "const m = createRequire(import.meta.url)('../x/y');",
      "const p = createRequire(join(root, 'a')).resolve('esbuild/package.json');",
      "const s = '../not/a/reference';",
    ].join('\n');
    // Act
    const references = moduleReferencesOf(text);
    // Assess
    expect(references).toEqual(['../lambdas/', '../x/y', 'esbuild/package.json']);
  });
});

describe('Function: importCycles', () => {
  it('finds a cycle through several files and a file that imports itself, not a diamond', () => {
    // Prepare: a -> b -> c -> a is a cycle; d -> e, d -> f, e -> g, f -> g is not; h imports itself
    const edges = importEdges(
      tree({
        'lambdas/a.ts': "import './b';",
        'lambdas/b.ts': "import './c';",
        'lambdas/c.ts': "import type { A } from './a';",
        'lambdas/d.ts': "import './e'; import './f';",
        'lambdas/e.ts': "import './g';",
        'lambdas/f.ts': "import './g';",
        'lambdas/g.ts': '',
        'lambdas/h.ts': "import './h';",
      }),
    );
    // Act
    const cycles = importCycles(edges);
    // Assess
    expect(cycles).toEqual([['lambdas/a.ts', 'lambdas/b.ts', 'lambdas/c.ts'], ['lambdas/h.ts']]);
  });
});

describe('Function: importEdges', () => {
  it('resolves a folder to its index and a .js specifier to its .ts file', () => {
    const edges = importEdges(tree({ 'bin/a.ts': "import '../local'; import './b.js';", 'bin/b.ts': '', 'local/index.ts': '' }));
    expect(edges.map((e) => e.to)).toEqual(['local/index.ts', 'bin/b.ts']);
  });

  it('names the file of a relative import that names no source', () => {
    expect(() => importEdges(tree({ 'bin/a.ts': "import './missing';" }))).toThrow("bin/a.ts: import './missing' names no source file");
  });
});

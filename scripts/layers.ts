/**
 * The layer rule of pitstop's sources, checked from their import statements.
 *
 * Layers, top to bottom (docs/architecture.md draws them):
 *
 *   index.ts, bin/  ->  local/  ->  infra/  ->  statemachines/ | lambdas/  ->  vocabulary/
 *
 * A file may import files of its own layer and of layers below it, never a layer above
 * it nor a sibling on its level (statemachines/ and lambdas/ do not import each other).
 * vocabulary/ and lambdas/ do not import the CDK (aws-cdk-lib, aws-cdk, @aws-cdk/*, @cdklabs/*, constructs, cdk-nag, or a package that depends on one):
 * the vocabulary is shared by every layer and the Lambdas' code runs in AWS Lambda.
 * examples/data/ (the example data generator that local mode runs) sits beside
 * lambdas/. test/, scripts/, bench/ and the rest of examples/ are outside the layers:
 * they may import anything, nothing layered may import them. No import cycle, anywhere.
 *
 * Every import counts: `import`, `import type`, `export ... from`, dynamic `import()`
 * and `require()`; a type-only import is still a dependency of the design, so an
 * upward one is refused too.
 *
 *   npx tsx scripts/layers.ts        prints the violations and cycles; exit 1 if any
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** One layer: the paths it holds (a folder ends in `/`) and the packages it may not import. */
export interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
  readonly forbiddenPackages?: readonly string[];
}

/** The CDK: these packages, any package of these scopes (`@scope/*`), and any package that depends on one of them. */
const CDK = ['aws-cdk-lib', 'aws-cdk', '@aws-cdk/*', '@cdklabs/*', 'constructs', 'cdk-nag'];

/** Levels from the bottom up; layers on one level are siblings. */
export const LEVELS: readonly (readonly Layer[])[] = [
  [{ name: 'vocabulary', paths: ['vocabulary/'], forbiddenPackages: CDK }],
  [
    { name: 'lambdas', paths: ['lambdas/'], forbiddenPackages: CDK },
    { name: 'statemachines', paths: ['statemachines/'] },
    { name: 'example-data', paths: ['examples/data/'], forbiddenPackages: CDK },
  ],
  [{ name: 'infra', paths: ['infra/'] }],
  [{ name: 'local', paths: ['local/'] }],
  [
    { name: 'bin', paths: ['bin/'] },
    { name: 'package', paths: ['index.ts'] },
  ],
];

/** Folders that hold sources (layered or not); everything else is skipped. */
const SKIPPED = new Set(['node_modules', 'cdk.out', '.pitstop', '.git', 'bench/out', 'dist']);

/** The layer of a repository-relative path, with its level; undefined outside the layers. */
export function layerOf(path: string): { layer: Layer; level: number } | undefined {
  for (const [level, layers] of LEVELS.entries()) {
    for (const layer of layers) {
      if (layer.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p))) return { layer, level };
    }
  }
  return undefined;
}

/** Every module specifier of a TypeScript source: static, type-only, re-exports, `import()`, `require()`. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Module references that are not imports: `new URL('<relative>', import.meta.url)` and
 * `createRequire(...)('<specifier>')` / `createRequire(...).resolve('<specifier>')`.
 * They load or bundle another module at run time, so they count for the layers too.
 */
export function moduleReferencesOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/new\s+URL\(\s*(['"`])(\.{1,2}\/[^'"`]*)\1\s*,\s*import\.meta\.url\s*\)/g)) found.push(m[2]!);
  for (const m of text.matchAll(/createRequire\((?:[^()]|\([^()]*\))*\)(?:\.resolve)?\(\s*(['"`])([^'"`]+)\1/g)) found.push(m[2]!);
  return found;
}

/** Whether package `pkg` is one of `patterns` (a name, or `@scope/*` for a whole scope). */
export function packageMatches(pkg: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('/*') ? pkg.startsWith(p.slice(0, -1)) : pkg === p));
}

/** The package a specifier names (`@scope/name` or `name`). */
export function packageOf(specifier: string): string {
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
}

/** The repository-relative `.ts` sources under `root` (declaration files excluded). */
export function collectSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      const rel = dir ? `${dir}/${name}` : name;
      if (SKIPPED.has(name) || SKIPPED.has(rel)) continue;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (/\.m?ts$/.test(name) && !name.endsWith('.d.ts')) files.set(rel, readFileSync(join(root, rel), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** An import of one source: what it asked for and, for a relative one, the file it names. */
export interface Edge {
  readonly from: string;
  readonly specifier: string;
  /** The repository file (or, for a reference, the path it names); undefined for a package. */
  readonly to?: string;
  /** A run-time module reference (`new URL`, `createRequire`) rather than an import. */
  readonly reference?: boolean;
}

/** What a relative specifier names among `files` (`x`, `x.ts`, `x.js` written for `x.ts`, `x/index.ts`), or undefined. */
function resolveRelative(from: string, specifier: string, files: ReadonlyMap<string, string>): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  return [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`].find((c) => files.has(c));
}

/** The import graph of `files`, path -> text. @throws Error naming the file of a relative import that names no source */
export function importEdges(files: ReadonlyMap<string, string>): Edge[] {
  const edges: Edge[] = [];
  for (const [from, text] of files) {
    for (const specifier of importsOf(text)) {
      if (!specifier.startsWith('.')) {
        edges.push({ from, specifier });
        continue;
      }
      const to = resolveRelative(from, specifier, files);
      if (to === undefined) {
        // JSON and other non-source files are data, not modules of a layer.
        if (/\.(json|md|txt|csv)$/.test(specifier)) continue;
        throw new Error(`${from}: import '${specifier}' names no source file`);
      }
      edges.push({ from, specifier, to });
    }
    for (const specifier of moduleReferencesOf(text)) {
      if (!specifier.startsWith('.')) {
        edges.push({ from, specifier, reference: true });
        continue;
      }
      // A reference may name a folder or a file that is not a source (a bundle entry's folder).
      const named = posix.normalize(posix.join(posix.dirname(from), specifier));
      edges.push({ from, specifier, to: resolveRelative(from, specifier, files) ?? (/\.[a-z]+$/.test(named) ? named : `${named.replace(/\/$/, '')}/`), reference: true });
    }
  }
  return edges;
}

/**
 * Why an import breaks the layer rule, or undefined when it keeps it. `dependenciesOf`
 * gives a package's own dependencies: a package that depends on a forbidden one is
 * forbidden too.
 */
export function layerProblem(edge: Edge, dependenciesOf: (pkg: string) => readonly string[] = () => []): string | undefined {
  const from = layerOf(edge.from);
  if (!from) return undefined;
  const verb = edge.reference ? 'refers to' : 'imports';
  if (edge.to === undefined) {
    const pkg = packageOf(edge.specifier);
    const forbidden = from.layer.forbiddenPackages ?? [];
    if (forbidden.length === 0 || pkg.startsWith('node:')) return undefined;
    if (packageMatches(pkg, forbidden)) return `${edge.from} (${from.layer.name}) ${verb} ${edge.specifier}, which ${from.layer.name} may not use`;
    const via = dependenciesOf(pkg).find((dep) => packageMatches(dep, forbidden));
    return via ? `${edge.from} (${from.layer.name}) ${verb} ${edge.specifier}, which depends on ${via}, which ${from.layer.name} may not use` : undefined;
  }
  const to = layerOf(edge.to);
  if (!to) {
    // A run-time reference to a non-source (a data file, the package's own package.json) is no layer's.
    if (edge.reference) return undefined;
    return `${edge.from} (${from.layer.name}) imports ${edge.to}, which is outside the layers`;
  }
  if (to.layer === from.layer || to.level < from.level) return undefined;
  const where = to.level === from.level ? 'a sibling on its level' : 'a layer above it';
  return `${edge.from} (${from.layer.name}) ${verb} ${edge.to} (${to.layer.name}), ${where}`;
}

/** The import cycles among `edges` (strongly connected sets of two or more files, or a file importing itself), each sorted. */
export function importCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.to !== undefined) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's strongly connected components, iterative so that deep chains cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const targets = next.get(top.node) ?? [];
      if (top.i < targets.length) {
        const w = targets[top.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1 || targets.includes(top.node)) cycles.push(component.sort());
      }
    }
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A reader of the dependencies and peer dependencies of the packages installed under `root`/node_modules. */
export function installedDependencies(root: string): (pkg: string) => readonly string[] {
  return (pkg) => {
    try {
      const manifest = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
    } catch {
      return [];
    }
  };
}

/** The layer rule's verdict on a set of sources. */
export interface LayerReport {
  readonly violations: string[];
  readonly cycles: string[][];
}

/** Checks the layer rule and the absence of cycles over `files` (path -> text). */
export function checkLayers(files: ReadonlyMap<string, string>, dependenciesOf?: (pkg: string) => readonly string[]): LayerReport {
  const edges = importEdges(files);
  return {
    violations: edges.map((edge) => layerProblem(edge, dependenciesOf)).filter((p): p is string => p !== undefined),
    // A run-time reference loads another module but does not make an import cycle.
    cycles: importCycles(edges.filter((edge) => !edge.reference)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const report = checkLayers(collectSources(process.cwd()), installedDependencies(process.cwd()));
  for (const v of report.violations) console.log(`layer: ${v}`);
  for (const c of report.cycles) console.log(`cycle: ${c.join(' <-> ')}`);
  if (report.violations.length + report.cycles.length > 0) process.exit(1);
  console.log('layers: no upward import, no cycle');
}

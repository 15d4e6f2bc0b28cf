/**
 * The suite runs on the runtime the Lambdas run on. `npm test` puts the `node`
 * devDependency (Node 24 from the npm registry) first on the PATH of its scripts,
 * so a machine whose own Node is older still tests on Node 24.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTION_RUNTIME } from '../../infra/functions';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

describe('Function: the Node.js runtime of the tests', () => {
  it('is the Lambda runtime\'s major version when run through npm', () => {
    // Prepare
    const lambdaMajor = major(FUNCTION_RUNTIME.name); // "nodejs24.x"
    // Act
    const testMajor = major(process.versions.node);
    // Assess: through `npm test` the devDependency's Node is first on the PATH.
    if (process.env.npm_lifecycle_event === 'test') expect(testMajor).toBe(lambdaMajor);
    expect(testMajor).toBeGreaterThanOrEqual(major(pkg.engines.node));
  });

  it('pins the node devDependency and @types/node to the Lambda runtime\'s major version', () => {
    const lambdaMajor = major(FUNCTION_RUNTIME.name);
    expect(major(pkg.devDependencies.node!)).toBe(lambdaMajor);
    expect(major(pkg.devDependencies['@types/node']!)).toBe(lambdaMajor);
    expect(major(pkg.engines.node)).toBeGreaterThanOrEqual(22);
  });
});

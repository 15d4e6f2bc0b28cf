import { describe, expect, it } from 'vitest';
import { cloneOnlyCommand, cloneOnlyMessage, runsFromSources } from '../../../../bin/cli/commands/clone-only';
import { InputError } from '../../../../vocabulary/errors';

describe('Function: runsFromSources', () => {
  it('tells the TypeScript sources (a clone) from the compiled package', () => {
    // Assess
    expect(runsFromSources('file:///home/u/pitstop/bin/cli/commands/clone-only.ts')).toBe(true);
    expect(runsFromSources('file:///app/node_modules/pitstop/dist/bin/cli/commands/clone-only.js')).toBe(false);
    // This test runs the sources.
    expect(runsFromSources()).toBe(true);
  });
});

describe('Function: cloneOnlyCommand', () => {
  it('refuses with an input error (exit 2) that says how to run local mode from a clone', async () => {
    // Prepare
    const cmd = cloneOnlyCommand('demo', 'demo', {});
    // Act
    const err = await cmd.run({}, [], { progress: () => undefined }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(cloneOnlyMessage('demo'));
    expect(cloneOnlyMessage('demo')).toMatch(/git clone .* && npm install && npm start/);
  });
});

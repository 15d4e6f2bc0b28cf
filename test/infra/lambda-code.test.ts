import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prebundledHandler } from '../../infra/lambda-code';

const dir = mkdtempSync(join(tmpdir(), 'pitstop-bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Function: prebundledHandler', () => {
  it('names the folder of a handler bundled ahead, and nothing for a folder without index.js', () => {
    // Prepare
    mkdirSync(join(dir, 'drift'));
    writeFileSync(join(dir, 'drift', 'index.js'), 'exports.handler = async () => ({});\n');
    mkdirSync(join(dir, 'profile'));
    // Act / Assess
    expect(prebundledHandler('drift', dir)).toBe(join(dir, 'drift'));
    expect(prebundledHandler('profile', dir)).toBeUndefined();
    expect(prebundledHandler('quality', dir)).toBeUndefined();
  });

  it('finds nothing when running from the sources (the bundles exist only in the built package)', () => {
    // Act / Assess
    expect(prebundledHandler('drift')).toBeUndefined();
  });
});

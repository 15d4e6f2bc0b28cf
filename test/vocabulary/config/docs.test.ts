import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../vocabulary/config/index';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
const doc = read('../../../docs/configuration.md');
const jsonBlocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/configuration.md', () => {
  it('shows a minimal config that parses', () => {
    expect(() => parseConfig(JSON.parse(jsonBlocks[0]!))).not.toThrow();
  });

  it('shows the example config as it is in examples/', () => {
    expect(JSON.parse(jsonBlocks.at(-1)!)).toEqual(JSON.parse(read('../../../examples/pitstop.config.json')));
  });

  it('documents every field of a parsed model', () => {
    // Prepare: every key path of the minimal model with its defaults, plus the optional sections of the example
    const paths: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      for (const [key, child] of Object.entries(value)) {
        const next = path ? `${path}.${key}` : key;
        if (path !== 'training.hyperparameters') paths.push(next);
        walk(child, next);
      }
    };
    walk(parseConfig(JSON.parse(jsonBlocks[0]!)).models[0], '');

    // Assess: each path (or, in a "warning / critical" row, its last key) appears in backticks
    const missing = paths.filter((path) => !doc.includes(`\`${path}`) && !doc.includes(`\`${path.split('.').at(-1)}\``));
    expect(paths.length).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });
});

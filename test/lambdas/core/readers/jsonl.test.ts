import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, ParseError } from '../../../../vocabulary/errors';
import { openTable } from '../../../../lambdas/core/readers/index';
import { gz, readAll, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const lines = (...objs: string[]) => objs.join('\n') + '\n';

describe('Function: openTable (JSON Lines)', () => {
  it('takes columns from the first object, fills missing keys with null, skips blank lines', async () => {
    const text = lines('{"a":1,"b":"x","c":true}', '', '   ', '{"b":"y","a":2.5}', '{"a":null}');
    const file = await tmp.write('basic.jsonl', text);
    const t = await readAll(file);
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      [1, 'x', true],
      [2.5, 'y', null],
      [null, null, null],
    ]);
    expect(t.lines).toEqual([1, 4, 5]);
  });

  it('reads .ndjson, .json and gzip, with a BOM', async () => {
    const text = '\uFEFF' + lines('{"k":"v1"}', '{"k":"v2"}');
    for (const name of ['a.ndjson', 'b.json', 'c.jsonl.gz']) {
      const file = await tmp.write(name, name.endsWith('.gz') ? gz(text) : text);
      const t = await readAll(file);
      expect(t.columns).toEqual(['k']);
      expect(t.rows).toEqual([['v1'], ['v2']]);
    }
  });

  it('rejects a key not in the first object, naming file, line and key', async () => {
    const file = await tmp.write('extra.jsonl', lines('{"a":1}', '{"a":2}', '{"a":3,"zz":4}'));
    await expect(readAll(file)).rejects.toThrow(`${file}:3, column "zz": key not in the first record`);
  });

  it('rejects a line that is not JSON, naming file and line', async () => {
    const file = await tmp.write('bad.jsonl', lines('{"a":1}', '', '{"a":2', '{"a":3}'));
    const err = await readAll(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toMatch(new RegExp(`^${file}:3: not valid JSON`));
  });

  it('rejects a line that is not an object', async () => {
    const file = await tmp.write('arr.jsonl', lines('{"a":1}', '[1]'));
    await expect(readAll(file)).rejects.toThrow(`${file}:2: expected a JSON object, got an array`);
    const first = await tmp.write('first.jsonl', lines('42'));
    await expect(openTable(first)).rejects.toThrow(`${first}:1: expected a JSON object, got a number`);
  });

  it('rejects nested values, naming the column', async () => {
    const file = await tmp.write('nested.jsonl', lines('{"a":1,"b":2}', '{"a":1,"b":{"c":3}}'));
    await expect(readAll(file)).rejects.toThrow(`${file}:2, column "b": nested value (an object)`);
  });

  it('rejects a file with no record', async () => {
    const file = await tmp.write('blank.jsonl', '\n\n');
    const err = await openTable(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(file);
  });
});

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

describe('Function: openTable (CSV)', () => {
  it('reads header and rows as strings, empty fields as null', async () => {
    // Prepare
    const file = await tmp.write('basic.csv', 'a,b,c\n1,x,2.5\n,,\n3,y,\n');
    // Act
    const t = await readAll(file);
    // Assess
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', 'x', '2.5'],
      [null, null, null],
      ['3', 'y', null],
    ]);
    expect(t.lines).toEqual([2, 3, 4]);
  });

  it('strips a BOM, reads CRLF and a last line without newline', async () => {
    const file = await tmp.write('bom.csv', '\uFEFFid,v\r\n1,a\r\n2,b');
    const t = await readAll(file);
    expect(t.columns).toEqual(['id', 'v']);
    expect(t.rows).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
  });

  it('handles quoted commas, escaped quotes and quoted newlines, keeping physical line numbers', async () => {
    // line 1 header; record on lines 2-4; blank line 5 skipped; record on line 6; record on 7-8
    const text = 'id,text,n\n1,"multi\nline\nvalue",10\n\n2,"a,b ""q""",20\n3,"x\r\ny",30\n4,plain,40\n';
    const file = await tmp.write('quoted.csv', text);
    const t = await readAll(file, { batchSize: 2 });
    expect(t.rows).toEqual([
      ['1', 'multi\nline\nvalue', '10'],
      ['2', 'a,b "q"', '20'],
      ['3', 'x\r\ny', '30'],
      ['4', 'plain', '40'],
    ]);
    expect(t.lines).toEqual([2, 6, 7, 9]);
  });

  it('reports a later ragged row with file, line and expected vs found counts', async () => {
    const file = await tmp.write('ragged.csv', 'a,b,c\n1,"x\ny",3\n4,5\n');
    await expect(readAll(file)).rejects.toThrow(ParseError);
    await expect(readAll(file)).rejects.toThrow(`${file}:4: expected 3 fields, found 2`);
  });

  it('reports a ragged quoted row at the line it starts', async () => {
    const file = await tmp.write('ragged-q.csv', 'a,b\n1,2\n"x\ny",2,3\n');
    await expect(readAll(file)).rejects.toThrow(`${file}:3: expected 2 fields, found 3`);
  });

  it.each([
    ['a quote inside an unquoted field', 'a,b\n1,2\n3,x"y\n5,6\n', 3],
    ['a character after a closing quote', 'a,b\n1,2\n"ab"c,4\n', 3],
    ['unclosed quoted field', 'a,b\n1,2\n3,"open\n5,6\n', 3],
  ])('reports malformed quoting (%s) with file and line', async (what, text, line) => {
    const file = await tmp.write(`bad-${line}-${what.length}.csv`, text);
    const err = await readAll(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toContain(`${file}:${line}:`);
    expect((err as Error).message).toContain(what);
  });

  it('treats a header-only file as zero rows', async () => {
    const file = await tmp.write('header-only.csv', 'a,b\n');
    const t = await readAll(file);
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.rows).toEqual([]);
  });

  it('rejects an empty file at open', async () => {
    const file = await tmp.write('empty.csv', '');
    const err = await openTable(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`${file}: empty file: no header row`);
  });

  it('rejects duplicate and empty header names', async () => {
    const dup = await tmp.write('dup.csv', 'a,b,a\n1,2,3\n');
    await expect(openTable(dup)).rejects.toThrow(`${dup}:1, column "a": duplicate column name in header`);
    const empty = await tmp.write('empty-name.csv', 'a,,c\n1,2,3\n');
    await expect(openTable(empty)).rejects.toThrow(`${empty}:1, column 2: empty column name`);
  });

  it('reads gzip by suffix and by magic bytes alike', async () => {
    const text = '\uFEFFa,b\n1,"x\ny"\n2,z\n';
    const bySuffix = await tmp.write('z.csv.gz', gz(text));
    const byMagic = await tmp.write('zz.csv', gz(text));
    for (const file of [bySuffix, byMagic]) {
      const t = await readAll(file);
      expect(t.columns).toEqual(['a', 'b']);
      expect(t.rows).toEqual([
        ['1', 'x\ny'],
        ['2', 'z'],
      ]);
      expect(t.lines).toEqual([2, 4]);
    }
  });

  it('fails on a truncated gzip from the iterator, never ending cleanly', async () => {
    // Prepare: enough rows that the cut falls well inside the data
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${(i * 7) % 13}`).join('\n');
    const whole = gz(`a,b\n${rows}\n`);
    const file = await tmp.write('cut.csv.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    // Act
    const table = await openTable(file, { batchSize: 100 });
    let seen = 0;
    let error: unknown;
    try {
      for await (const b of table.batches()) seen += b.rows.length;
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('truncated or corrupt gzip');
    expect(seen).toBeLessThan(5000);
  });
});

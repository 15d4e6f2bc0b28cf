/**
 * Not a test: a tiny Parquet writer for test fixtures (PLAIN encoding, uncompressed, data
 * page v1, flat REQUIRED/OPTIONAL columns, plus a one-child REQUIRED group to exercise the
 * "nested column" error). Written from the Parquet format spec, independent of the reader.
 */

/** A column to write. */
export interface ParquetColumn {
  readonly name: string;
  readonly type: 'INT64' | 'DOUBLE' | 'UTF8' | 'BOOLEAN';
  /** Values; null only if optional. */
  readonly values: readonly (number | string | boolean | null)[];
  readonly optional?: boolean;
  /** Wrap the column in a REQUIRED group of this name (a nested column). */
  readonly group?: string;
}

const PHYSICAL = { BOOLEAN: 0, INT64: 2, DOUBLE: 5, UTF8: 6 } as const;

class Thrift {
  public bytes: number[] = [];
  private last: number[] = [0];
  public varint(n: number | bigint): void {
    let v = BigInt(n);
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }
  private zigzag(n: number | bigint): void {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }
  private header(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else {
      this.bytes.push(type);
      this.zigzag(id);
    }
    this.last[this.last.length - 1] = id;
  }
  public i32(id: number, v: number): void {
    this.header(id, 5);
    this.zigzag(v);
  }
  public i64(id: number, v: number): void {
    this.header(id, 6);
    this.zigzag(v);
  }
  public str(id: number, s: string): void {
    this.header(id, 8);
    const b = Buffer.from(s);
    this.varint(b.length);
    this.bytes.push(...b);
  }
  public list(id: number, elemType: number, n: number, each: (i: number) => void): void {
    this.header(id, 9);
    if (n < 15) this.bytes.push((n << 4) | elemType);
    else {
      this.bytes.push(0xf0 | elemType);
      this.varint(n);
    }
    for (let i = 0; i < n; i++) each(i);
  }
  public struct(id: number | undefined, body: () => void): void {
    if (id !== undefined) this.header(id, 12);
    this.last.push(0);
    body();
    this.bytes.push(0);
    this.last.pop();
  }
  public elemI32(v: number): void {
    this.zigzag(v);
  }
  public elemStr(s: string): void {
    const b = Buffer.from(s);
    this.varint(b.length);
    this.bytes.push(...b);
  }
}

function plain(col: ParquetColumn, values: readonly (number | string | boolean)[]): Buffer {
  switch (col.type) {
    case 'INT64': {
      const b = Buffer.alloc(8 * values.length);
      values.forEach((v, i) => b.writeBigInt64LE(BigInt(v as number), 8 * i));
      return b;
    }
    case 'DOUBLE': {
      const b = Buffer.alloc(8 * values.length);
      values.forEach((v, i) => b.writeDoubleLE(v as number, 8 * i));
      return b;
    }
    case 'UTF8':
      return Buffer.concat(
        values.map((v) => {
          const s = Buffer.from(v as string);
          const len = Buffer.alloc(4);
          len.writeUInt32LE(s.length);
          return Buffer.concat([len, s]);
        }),
      );
    case 'BOOLEAN': {
      const b = Buffer.alloc(Math.ceil(values.length / 8));
      values.forEach((v, i) => {
        if (v) b[i >> 3] |= 1 << (i & 7);
      });
      return b;
    }
  }
}

/** RLE runs (bit width 1) of definition levels, with the 4-byte length prefix of page v1. */
function defLevels(levels: number[]): Buffer {
  const t = new Thrift();
  for (let i = 0; i < levels.length; ) {
    let j = i;
    while (j < levels.length && levels[j] === levels[i]) j++;
    t.varint((j - i) << 1);
    t.bytes.push(levels[i]);
    i = j;
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(t.bytes.length);
  return Buffer.concat([len, Buffer.from(t.bytes)]);
}

/** Writes a Parquet file holding `columns`, split into row groups of `rowGroupSize` rows. */
export function writeParquet(columns: readonly ParquetColumn[], rowGroupSize: number): Buffer {
  const numRows = columns[0].values.length;
  const parts: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  const groups: { chunks: { offset: number; size: number; n: number }[]; rows: number; bytes: number }[] = [];
  for (let start = 0; start < numRows; start += rowGroupSize) {
    const end = Math.min(numRows, start + rowGroupSize);
    const chunks = columns.map((col) => {
      const slice = col.values.slice(start, end);
      const present = slice.filter((v) => v !== null) as (number | string | boolean)[];
      const body = Buffer.concat([
        col.optional ? defLevels(slice.map((v) => (v === null ? 0 : 1))) : Buffer.alloc(0),
        plain(col, present),
      ]);
      const h = new Thrift();
      h.struct(undefined, () => {
        h.i32(1, 0); // DATA_PAGE
        h.i32(2, body.length);
        h.i32(3, body.length);
        h.struct(5, () => {
          h.i32(1, slice.length);
          h.i32(2, 0); // PLAIN
          h.i32(3, 3); // RLE
          h.i32(4, 3);
        });
      });
      const chunk = Buffer.concat([Buffer.from(h.bytes), body]);
      const at = offset;
      parts.push(chunk);
      offset += chunk.length;
      return { offset: at, size: chunk.length, n: slice.length };
    });
    groups.push({ chunks, rows: end - start, bytes: chunks.reduce((s, c) => s + c.size, 0) });
  }
  const leaves = columns.length;
  const schema: (() => void)[] = [];
  const f = new Thrift();
  const roots = columns.length;
  schema.push(() => {
    f.str(4, 'schema');
    f.i32(5, roots);
  });
  for (const col of columns) {
    if (col.group) {
      schema.push(() => {
        f.i32(3, 0);
        f.str(4, col.group as string);
        f.i32(5, 1);
      });
    }
    schema.push(() => {
      f.i32(1, PHYSICAL[col.type]);
      f.i32(3, col.optional ? 1 : 0);
      f.str(4, col.name);
      if (col.type === 'UTF8') f.i32(6, 0);
    });
  }
  f.struct(undefined, () => {
    f.i32(1, 1);
    f.list(2, 12, schema.length, (i) => f.struct(undefined, schema[i]));
    f.i64(3, numRows);
    f.list(4, 12, groups.length, (g) =>
      f.struct(undefined, () => {
        const group = groups[g];
        f.list(1, 12, leaves, (c) =>
          f.struct(undefined, () => {
            const col = columns[c];
            const chunk = group.chunks[c];
            f.i64(2, chunk.offset);
            f.struct(3, () => {
              f.i32(1, PHYSICAL[col.type]);
              f.list(2, 5, 2, (i) => f.elemI32(i === 0 ? 0 : 3));
              const path = col.group ? [col.group, col.name] : [col.name];
              f.list(3, 8, path.length, (i) => f.elemStr(path[i]));
              f.i32(4, 0);
              f.i64(5, chunk.n);
              f.i64(6, chunk.size);
              f.i64(7, chunk.size);
              f.i64(9, chunk.offset);
            });
          }),
        );
        f.i64(2, group.bytes);
        f.i64(3, group.rows);
      }),
    );
  });
  const footer = Buffer.from(f.bytes);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  parts.push(footer, len, Buffer.from('PAR1'));
  return Buffer.concat(parts);
}

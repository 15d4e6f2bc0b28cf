/**
 * Column batches straight from the bytes of a byte range of a local CSV file, without
 * decoding the text: the reader of a parallel scan's worker (../columns/scan-worker).
 *
 * It reads records as the text reader reads quote-free lines (`\n` or `\r\n` ends a
 * record, empty lines are skipped, the last line needs no terminator) and fills a
 * {@link ColumnBatchBuilder} through `pushBytes`, which gives the same cells, numbers and
 * categories as the text path. It stops at the first chunk holding a quote character and
 * sets {@link CsvByteRange.quoted}: only the text reader handles quoting.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ParseError } from '../../../vocabulary/errors';
import type { ColumnBatch, ColumnBatchBuilder } from './column-batch';

/** Bytes read at once. */
export const CSV_BYTE_CHUNK = 1 << 20;

/** The records of the byte range [start, end) of a plain CSV file, starting at a line start. */
export class CsvByteRange {
  /** True once a quote character was met (the batches stopped there). */
  public quoted = false;
  /** Number of the last line read (lineBase + lines read). */
  public lastLine: number;

  /**
   * @param lineBase lines before the range (the first line is lineBase + 1)
   * @param width field count every record must have
   * @param chunkBytes bytes read at once (a longer line grows the buffer)
   */
  public constructor(
    private readonly path: string,
    private readonly start: number,
    private readonly end: number,
    lineBase: number,
    private readonly width: number,
    private readonly builder: ColumnBatchBuilder,
    private readonly chunkBytes = CSV_BYTE_CHUNK,
  ) {
    this.lastLine = lineBase;
  }

  /**
   * The batches, in order; a batch is valid until the next one is asked for.
   *
   * @throws ParseError for a record whose field count is not `width`
   */
  public *batches(): Generator<ColumnBatch> {
    const builder = this.builder;
    const fd = openSync(this.path, 'r');
    try {
      let buf = Buffer.allocUnsafe(this.chunkBytes + 1);
      let held = 0; // bytes of an unfinished line at the front of buf
      let at = this.start;
      for (;;) {
        if (held === buf.length - 1) {
          // A line longer than the buffer: grow it.
          const bigger = Buffer.allocUnsafe(2 * buf.length);
          buf.copy(bigger, 0, 0, held);
          buf = bigger;
        }
        const want = Math.min(buf.length - 1 - held, this.end - at);
        let got = 0;
        while (got < want) {
          const n = readSync(fd, buf, held + got, want - got, at + got);
          if (n === 0) break;
          got += n;
        }
        at += got;
        const last = at >= this.end || got === 0;
        let length = held + got;
        if (buf.subarray(held, length).indexOf(34) !== -1) {
          this.quoted = true;
          return;
        }
        if (last && length > 0 && buf[length - 1] !== 10) buf[length++] = 10; // the last line needs no terminator
        let pos = 0;
        for (let nl = buf.indexOf(10, pos); nl !== -1 && nl < length; nl = buf.indexOf(10, pos)) {
          const line = ++this.lastLine;
          const stop = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
          if (stop > pos) {
            const count = builder.pushBytes(buf, pos, stop, line);
            if (count !== this.width) throw new ParseError(`expected ${this.width} fields, found ${count}`, { file: this.path, line });
            if (builder.full) yield builder.take();
          }
          pos = nl + 1;
        }
        if (last) break;
        held = length - pos;
        buf.copy(buf, 0, pos, length);
      }
      if (!builder.empty) yield builder.take();
    } finally {
      closeSync(fd);
    }
  }
}

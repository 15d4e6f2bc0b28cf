/**
 * Collects rows into batches of a fixed size.
 */
import type { Cell, RowBatch } from './types';

/** A batch being filled. Readers push rows, then hand it out once `full`. */
export class BatchBuilder {
  public rows: Cell[][] = [];
  public lines: number[] = [];

  public constructor(
    private readonly file: string,
    public readonly size: number,
  ) {}

  /** Whether the batch holds `size` rows. */
  public get full(): boolean {
    return this.rows.length >= this.size;
  }

  /** Whether the batch holds no rows. */
  public get empty(): boolean {
    return this.rows.length === 0;
  }

  /** Adds one row. */
  public push(row: Cell[], line: number): void {
    this.rows.push(row);
    this.lines.push(line);
  }

  /** Returns the rows collected so far as a batch and starts a new one. */
  public take(): RowBatch {
    const batch: RowBatch = { rows: this.rows, lines: this.lines, file: this.file };
    this.rows = [];
    this.lines = [];
    return batch;
  }
}

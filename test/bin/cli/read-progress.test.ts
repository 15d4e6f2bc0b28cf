import { describe, expect, it } from 'vitest';
import { formatBytes, PROGRESS_AFTER_MS, PROGRESS_EVERY_MS, readMeter } from '../../../bin/cli/read-progress';

describe('Function: readMeter', () => {
  it('stays silent for a short read, then reports bytes and rows at most once a second', () => {
    // Prepare
    let now = 0;
    const lines: string[] = [];
    const meter = readMeter('s3://b/data.csv', (m) => lines.push(m), () => now);

    // Act: a chunk every 250 ms for 6 s
    for (let t = 0; t <= 6000; t += 250) {
      now = t;
      meter.bytes(1024);
      meter.rows(10);
    }

    // Assess: nothing before PROGRESS_AFTER_MS, then one line per PROGRESS_EVERY_MS
    const expectedLines = Math.floor((6000 - PROGRESS_AFTER_MS) / PROGRESS_EVERY_MS) + 1;
    expect(lines).toHaveLength(expectedLines);
    expect(lines[0]).toBe(`reading s3://b/data.csv: ${formatBytes((PROGRESS_AFTER_MS / 250 + 1) * 1024)}, ${(PROGRESS_AFTER_MS / 250) * 10} rows (3 s)`);
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});

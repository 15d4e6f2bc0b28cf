import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../../lambdas/core/dataset';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('Function: contentHash', () => {
  it('is the SHA-256 of each file length-prefixed (8 bytes, big-endian), in order', () => {
    // Prepare: the framing computed by hand
    const expected = createHash('sha256')
      .update(Buffer.from([0, 0, 0, 0, 0, 0, 0, 3]))
      .update('a,b')
      .update(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]))
      .update('c')
      .digest('hex');

    // Act / Assess
    expect(contentHash([bytes('a,b'), bytes('c')])).toBe(`sha256:${expected}`);
  });

  it('tells apart the same bytes split differently between training and holdout', () => {
    expect(contentHash([bytes('ab'), bytes('c')])).not.toBe(contentHash([bytes('a'), bytes('bc')]));
  });

  it('changes with one byte of the data', () => {
    expect(contentHash([bytes('1,2,3\n')])).not.toBe(contentHash([bytes('1,2,4\n')]));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideFanOut, packShards } from '../../../../lambdas/core/fanout/plan';

describe('Function: packShards', () => {
  const objects = fc.array(
    fc.record({ name: fc.constantFrom('a.jsonl', 'b.jsonl', 'c.jsonl.gz', 'd.parquet'), size: fc.integer({ min: 0, max: 500 }) }),
    { maxLength: 40 },
  ).map((os) => os.map((o, i) => ({ uri: `s3://b/${i}/${o.name}`, size: o.size })));

  it('covers every byte once, in order, within the shard size and piece limits', () => {
    fc.assert(
      fc.property(objects, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 5 }), (os, shardBytes, maxPieces) => {
        // Act
        const shards = packShards(os, { shardBytes, maxPiecesPerShard: maxPieces });

        // Assess: the pieces, in order, tile each non-empty object
        const pieces = shards.flatMap((s) => s.pieces);
        const expected = os.filter((o) => o.size > 0);
        let p = 0;
        for (const o of expected) {
          let at = 0;
          while (at < o.size) {
            const piece = pieces[p++]!;
            expect(piece.uri).toBe(o.uri);
            expect(piece.start).toBe(at);
            at = piece.end;
          }
          expect(at).toBe(o.size);
        }
        expect(p).toBe(pieces.length);
        shards.forEach((s, i) => {
          expect(s.index).toBe(i);
          expect(s.pieces.length).toBeGreaterThan(0);
          expect(s.pieces.length).toBeLessThanOrEqual(maxPieces);
          expect(s.bytes).toBe(s.pieces.reduce((n, x) => n + x.end - x.start, 0));
          // Only an unsplittable object, alone, exceeds the shard size
          if (s.bytes > shardBytes) expect(s.pieces).toEqual([expect.objectContaining({ uri: expect.stringMatching(/\.(gz|parquet)$/), start: 0 })]);
        });
        // An object is split only when larger than a shard
        for (const o of expected) {
          const of = pieces.filter((x) => x.uri === o.uri);
          if (o.size <= shardBytes) expect(of).toHaveLength(1);
          else if (!/\.(gz|parquet)$/.test(o.uri)) expect(of).toHaveLength(Math.ceil(o.size / shardBytes));
        }
      }),
    );
  });

  it('splits a 10-byte object into 3 ranges of a 4-byte shard size', () => {
    expect(packShards([{ uri: 's3://b/x', size: 10 }], { shardBytes: 4 }).map((s) => s.pieces.map((p) => [p.start, p.end]))).toEqual([[[0, 4]], [[4, 8]], [[8, 10]]]);
  });

  it('refuses a shard size that is no positive integer', () => {
    expect(() => packShards([], { shardBytes: 0 })).toThrow(/expected shardBytes a positive integer, got 0/);
  });
});

describe('Function: decideFanOut', () => {
  it('fans out only above the threshold', () => {
    expect(decideFanOut(100, 100)).toBe('single');
    expect(decideFanOut(101, 100)).toBe('fanOut');
  });
});

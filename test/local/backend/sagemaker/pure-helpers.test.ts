import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureFileUri, capturePayload, type DataCaptureConfig } from '../../../../local/backend/sagemaker/capture';
import { mulberry32 } from '../../../../lambdas/core/stats/random';
import { pickVariant } from '../../../../local/backend/sagemaker/router';
import { channelVariable, stringHyperParameters } from '../../../../local/backend/sagemaker/training';
import { packDirectory, unpackArchive } from '../../../../local/backend/sagemaker/tar';
import { gzipSync } from 'node:zlib';
import { systemTarGz } from './fakes';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pitstop-unit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('Function: packDirectory / unpackArchive', () => {
  it('packs a tree that the system tar extracts identically', async () => {
    // Prepare: nested dirs, an empty file, binary bytes, a name longer than 100 bytes
    const long = `${'d'.repeat(60)}/${'f'.repeat(80)}.bin`;
    const files: Record<string, Buffer> = {
      'model.json': Buffer.from('{"a":1}'),
      'empty.txt': Buffer.alloc(0),
      'sub/deeper/weights.bin': Buffer.from(Array.from({ length: 1500 }, (_, i) => (i * 7) % 256)),
      [long]: Buffer.from('long name'),
    };
    const src = join(dir, 'src');
    for (const [name, bytes] of Object.entries(files)) {
      mkdirSync(join(src, name, '..'), { recursive: true });
      writeFileSync(join(src, name), bytes);
    }

    // Act
    const archive = await packDirectory(src);
    writeFileSync(join(dir, 'a.tar.gz'), archive);
    mkdirSync(join(dir, 'sys'));
    execFileSync('tar', ['-xzf', join(dir, 'a.tar.gz'), '-C', join(dir, 'sys')]);
    const mine = await unpackArchive(archive, join(dir, 'mine'));

    // Assess
    for (const [name, bytes] of Object.entries(files)) {
      expect(readFileSync(join(dir, 'sys', name)).equals(bytes), name).toBe(true);
      expect(readFileSync(join(dir, 'mine', name)).equals(bytes), name).toBe(true);
    }
    expect(mine.sort()).toEqual(Object.keys(files).sort());
  });

  it('unpacks an archive made by the system tar', async () => {
    const archive = systemTarGz({ 'model.json': '{"scale":2}', 'a/b.txt': 'b' });
    await unpackArchive(archive, join(dir, 'out'));
    expect(readFileSync(join(dir, 'out', 'model.json'), 'utf8')).toBe('{"scale":2}');
    expect(readFileSync(join(dir, 'out', 'a', 'b.txt'), 'utf8')).toBe('b');
  });

  it('refuses an entry that escapes the target directory', async () => {
    // a one-entry ustar archive named ../evil, built by hand
    const h = Buffer.alloc(512);
    h.write('../evil', 0);
    h.write('0000644\0', 100);
    h.write('00000000001\0', 124);
    h.write('0', 156);
    let sum = 0;
    h.write('        ', 148);
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    const body = Buffer.alloc(512);
    body.write('x');
    const archive = gzipSync(Buffer.concat([h, body, Buffer.alloc(1024)]));
    await expect(unpackArchive(archive, join(dir, 'x'))).rejects.toThrow(/outside/);
  });
});

describe('Function: pickVariant', () => {
  it('never picks a variant of weight 0 and is reproducible for a seed', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1, maxLength: 5 }), fc.integer(), (weights, seed) => {
        const variants = weights.map((weight, i) => ({ name: `v${i}`, weight }));
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i < 20; i++) {
          const picked = pickVariant(variants, a);
          expect(pickVariant(variants, b)).toBe(picked);
          if (weights.every((w) => w <= 0)) expect(picked).toBeUndefined();
          else expect(picked!.weight).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('maps the draw onto cumulative weights', () => {
    const variants = [
      { name: 'a', weight: 1 },
      { name: 'zero', weight: 0 },
      { name: 'b', weight: 3 },
    ];
    // total 4: draws below 0.25 go to a, the rest to b
    expect(pickVariant(variants, () => 0.2)!.name).toBe('a');
    expect(pickVariant(variants, () => 0.25)!.name).toBe('b');
    expect(pickVariant(variants, () => 0.999)!.name).toBe('b');
  });
});

describe('Function: captureFileUri / capturePayload', () => {
  it('lays files out by endpoint, variant and UTC hour', () => {
    const t = new Date(Date.UTC(2024, 0, 5, 3, 7, 9, 45));
    expect(captureFileUri('s3://b/capture/', 'ep', 'candidate', t, 'id')).toBe('s3://b/capture/ep/candidate/2024/01/05/03/07-09-045-id.jsonl');
    expect(captureFileUri('s3://b', 'ep', 'v', t, 'id')).toBe('s3://b/ep/v/2024/01/05/03/07-09-045-id.jsonl');
  });

  it('encodes by the content-type header lists, base64 otherwise', () => {
    const config: DataCaptureConfig = {
      InitialSamplingPercentage: 100,
      DestinationS3Uri: 's3://b/',
      CaptureOptions: [{ CaptureMode: 'Input' }],
      CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
    };
    const body = new TextEncoder().encode('{"a":1}');
    expect(capturePayload(config, 'INPUT', 'application/json', body)).toEqual({ observedContentType: 'application/json', mode: 'INPUT', data: '{"a":1}', encoding: 'JSON' });
    expect(capturePayload(config, 'OUTPUT', 'text/csv; charset=utf-8', body).encoding).toBe('CSV');
    expect(capturePayload(config, 'INPUT', 'application/x-npy', body)).toMatchObject({ encoding: 'BASE64', data: 'eyJhIjoxfQ==' });
  });
});

describe('Function: stringHyperParameters / channelVariable', () => {
  it('turns every value into a string and names channel variables', () => {
    expect(stringHyperParameters({ a: 1, b: 'x', c: true, d: [1, 2] })).toEqual({ a: '1', b: 'x', c: 'true', d: '[1,2]' });
    expect(channelVariable('train')).toBe('SM_CHANNEL_TRAIN');
    expect(channelVariable('hold-out')).toBe('SM_CHANNEL_HOLD_OUT');
  });
});

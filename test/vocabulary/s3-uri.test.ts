import { describe, expect, it } from 'vitest';
import { InputError } from '../../vocabulary/errors';
import { formatS3Uri, isS3Uri, joinS3Uri, parseS3Uri, splitS3Uri } from '../../vocabulary/s3-uri';

describe('Function: splitS3Uri', () => {
  it.each([
    ['s3://bucket/key.csv', { bucket: 'bucket', key: 'key.csv' }],
    ['s3://bucket/prefix/', { bucket: 'bucket', key: 'prefix/' }],
    ['s3://bucket', { bucket: 'bucket', key: '' }],
    ['s3://bucket/', { bucket: 'bucket', key: '' }],
    ['s3://b/a b/c', { bucket: 'b', key: 'a b/c' }],
  ])('splits %s', (uri, expected) => {
    expect(splitS3Uri(uri)).toEqual(expected);
  });

  it.each(['bucket/key', 's3://', 's3:///key', 'https://bucket/key', ''])('rejects %j with an InputError naming it', (uri) => {
    // Act
    const error = (() => {
      try {
        splitS3Uri(uri);
      } catch (e) {
        return e;
      }
      throw new Error('expected an error');
    })();

    // Assess
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location.file).toBe(uri);
  });

  it('round-trips with formatS3Uri for keys and prefixes', () => {
    for (const uri of ['s3://bucket/a/b.csv', 's3://bucket/a/', 's3://bucket/']) expect(formatS3Uri(splitS3Uri(uri))).toBe(uri);
  });
});

describe('Function: parseS3Uri (the config check)', () => {
  it('accepts what splitS3Uri splits, when the bucket name is valid', () => {
    expect(parseS3Uri('s3://my-bucket/churn/train.csv')).toEqual(splitS3Uri('s3://my-bucket/churn/train.csv'));
  });

  it('is stricter than splitS3Uri about bucket names', () => {
    expect(splitS3Uri('s3://My_Bucket/x')).toEqual({ bucket: 'My_Bucket', key: 'x' });
    expect(parseS3Uri('s3://My_Bucket/x')).toHaveProperty('problem');
  });
});

describe('Function: isS3Uri / joinS3Uri', () => {
  it('tells S3 URIs from paths', () => {
    expect(isS3Uri('s3://b/k')).toBe(true);
    expect(isS3Uri('./s3://b')).toBe(false);
    expect(isS3Uri('data/train.csv')).toBe(false);
  });

  it('joins parts with single slashes', () => {
    expect(joinS3Uri('s3://b/prefix/', '/models/', 'run-1', 'output/')).toBe('s3://b/prefix/models/run-1/output');
  });
});

/**
 * S3 URIs, the one module every layer uses: `s3://bucket` or `s3://bucket/key/or/prefix`.
 * The config checks them strictly (the bucket naming rules of general purpose buckets);
 * code that reads or writes S3 splits them with {@link splitS3Uri}, which only asks for
 * the scheme and a bucket (access point aliases and local buckets pass).
 */
import { InputError } from './errors';

/** The parts of an S3 URI. */
export interface S3Location {
  readonly bucket: string;
  /** Object key or prefix, without the leading slash; empty for the bucket root. */
  readonly key: string;
}

/** Why `name` is not a valid general purpose bucket name, or undefined when it is. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `bucket name must be 3 to 63 characters, got ${name.length}`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'bucket name may hold only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  }
  if (name.includes('..')) return 'bucket name must not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'bucket name must not be formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'bucket name must not begin with "xn--", "sthree-" or "amzn-s3-demo-"';
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name)) return 'bucket name must not end with a reserved suffix such as "-s3alias"';
  return undefined;
}

/**
 * Splits an S3 URI into bucket and key.
 * @returns the location, or a one-line problem when the URI is malformed
 */
export function parseS3Uri(uri: string): S3Location | { problem: string } {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(uri);
  if (!match) return { problem: `expected an S3 URI like "s3://bucket/prefix/", got ${JSON.stringify(uri)}` };
  const bucket = match[1]!;
  const key = match[2] ?? '';
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem) return { problem: `${bucketProblem} in ${JSON.stringify(uri)}` };
  if (/[\s\u0000-\u001f]/.test(key)) return { problem: `S3 key must not contain whitespace or control characters, got ${JSON.stringify(uri)}` };
  if (key.startsWith('/') || key.includes('//')) return { problem: `S3 key must not contain an empty path segment ("//"), got ${JSON.stringify(uri)}` };
  if (Buffer.byteLength(key, 'utf8') > 1024) return { problem: 'S3 key must be at most 1024 bytes' };
  return { bucket, key };
}

/** Why `uri` is not a well-formed S3 URI, or undefined when it is. */
export function s3UriProblem(uri: string): string | undefined {
  const parsed = parseS3Uri(uri);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** Whether a source names S3 rather than a local path. */
export function isS3Uri(source: string): boolean {
  return source.startsWith('s3://');
}

/**
 * Splits `s3://bucket/key` into bucket and key (the key may be empty or end with `/`).
 * @throws InputError naming the URI when it is not `s3://` or has no bucket
 */
export function splitS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/s.exec(uri);
  if (!match) throw new InputError('expected s3://bucket/key or s3://bucket/prefix/', { file: uri });
  return { bucket: match[1]!, key: match[2] ?? '' };
}

/** The URI of a bucket and key. */
export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** Joins S3 URI parts with single slashes. */
export function joinS3Uri(base: string, ...parts: string[]): string {
  let out = base.replace(/\/+$/, '');
  for (const p of parts) out += `/${p.replace(/^\/+|\/+$/g, '')}`;
  return out;
}

/**
 * Whole-object S3 reads and writes for the handlers: JSON and text documents
 * (baselines, metrics, run records, reports), never data sets (those stream through
 * the core readers).
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../../vocabulary/errors';
import { splitS3Uri } from '../../vocabulary/s3-uri';
import { s3Client } from './clients';
import { mapAwsError } from './errors';

/** Parses an object URI (`s3://bucket/key`, key not empty and not a prefix). */
export function objectLocation(uri: string): { bucket: string; key: string } {
  const loc = splitS3Uri(uri);
  if (loc.key === '' || loc.key.endsWith('/')) throw new InputError('expected an object key, got a prefix', { file: uri });
  return loc;
}

/**
 * Reads a whole object as UTF-8 text.
 *
 * @param s3 @default the shared client
 * @throws InputError when the object or bucket does not exist or is not readable
 */
export async function readS3Text(uri: string, s3: S3Client = s3Client()): Promise<string> {
  const { bucket, key } = objectLocation(uri);
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body ? await out.Body.transformToString('utf-8') : '';
  } catch (err) {
    throw mapAwsError(err, 'cannot read from S3', { file: uri });
  }
}

/**
 * Reads and parses a JSON object.
 *
 * @throws InputError when it cannot be read or is not JSON
 */
export async function readS3Json(uri: string, s3: S3Client = s3Client()): Promise<unknown> {
  const text = await readS3Text(uri, s3);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`not valid JSON (${(err as Error).message})`, { file: uri }, { cause: err });
  }
}

/**
 * Writes text to an object.
 *
 * @param contentType @default 'text/plain; charset=utf-8'
 * @throws InputError when the bucket does not exist or is not writable
 */
export async function writeS3Text(
  uri: string,
  body: string,
  contentType = 'text/plain; charset=utf-8',
  s3: S3Client = s3Client(),
): Promise<void> {
  const { bucket, key } = objectLocation(uri);
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  } catch (err) {
    throw mapAwsError(err, 'cannot write to S3', { file: uri });
  }
}

/** Writes a value as pretty-printed JSON (`application/json`). */
export async function writeS3Json(uri: string, value: unknown, s3: S3Client = s3Client()): Promise<void> {
  await writeS3Text(uri, `${JSON.stringify(value, null, 2)}\n`, 'application/json', s3);
}

/**
 * Writes bytes to an object.
 *
 * @throws InputError when the bucket does not exist or is not writable
 */
export async function writeS3Bytes(uri: string, body: Uint8Array, contentType: string, s3: S3Client = s3Client()): Promise<void> {
  const { bucket, key } = objectLocation(uri);
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  } catch (err) {
    throw mapAwsError(err, 'cannot write to S3', { file: uri });
  }
}

/**
 * Reads an object's bytes.
 *
 * @throws InputError when the object does not exist or is not readable
 */
export async function readS3Bytes(uri: string, s3: S3Client = s3Client()): Promise<Uint8Array> {
  const { bucket, key } = objectLocation(uri);
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
  } catch (err) {
    throw mapAwsError(err, 'cannot read from S3', { file: uri });
  }
}

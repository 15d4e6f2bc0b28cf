/**
 * Reading the baseline profile a run names.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { parseProfile, type Profile } from '../core/profile';
import { readS3Text } from './s3-objects';

/**
 * Reads and validates the baseline at `uri`; undefined when `uri` is empty (no model
 * trained yet).
 *
 * @throws InputError when it cannot be read or is not a valid profile
 */
export async function readBaseline(uri: string, s3: S3Client): Promise<Profile | undefined> {
  if (uri === '') return undefined;
  return parseProfile(await readS3Text(uri, s3), uri);
}

/**
 * The AWS side of the CLI: client settings from `--region` / `--profile`, and errors of
 * AWS or the network explained with what to do (exit code 3).
 */
import { InputError } from '../../vocabulary/errors';
import type { ParsedValues } from './command';
import { optString } from './options';

/** Settings every AWS SDK client of the CLI is made with. */
export interface AwsClientSettings {
  readonly region?: string;
  readonly profile?: string;
}

/** `--region` and `--profile`, when given (else the SDK's usual chain decides). */
export function awsSettings(values: ParsedValues): AwsClientSettings {
  const region = optString(values, 'region');
  const profile = optString(values, 'profile');
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new InputError(`--region expects an AWS Region code such as eu-west-1, got "${region}"`);
  }
  return { ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
}

/** Error names the SDK and Node give to failures of the connection itself. */
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'NetworkingError']);
const DENIED_NAMES = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'UnauthorizedOperation', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException', 'InvalidSignatureException', 'SignatureDoesNotMatch']);

function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) out.push(e);
  return out;
}

const nameOf = (e: unknown) => (e instanceof Error || (typeof e === 'object' && e !== null) ? String((e as { name?: unknown }).name ?? '') : '');
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * When `err` (or an error it wraps) is a failure of AWS or the network, one message
 * saying what happened and how to fix it; otherwise undefined.
 */
export function explainAwsError(err: unknown): string | undefined {
  for (const e of chain(err)) {
    const name = nameOf(e);
    const message = messageOf(e);
    if (/^Region is missing/.test(message)) {
      return 'no AWS Region: pass --region (e.g. --region eu-west-1), set AWS_REGION, or set region for your profile in ~/.aws/config (aws configure set region eu-west-1)';
    }
    if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) {
      return `no AWS credentials found (${message}): pass --profile NAME for a profile in ~/.aws/config, run \`aws configure\` or \`aws sso login --profile NAME\`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
    }
    if (name === 'TokenProviderError' || /SSO session .* expired|token .* expired/i.test(message)) {
      return `the AWS SSO session has expired (${message}): run \`aws sso login\` with the same profile`;
    }
    if (DENIED_NAMES.has(name)) {
      return `AWS refused the request: ${name}${message && message !== name ? ` (${message})` : ''}. Check that the credentials in use (aws sts get-caller-identity) are allowed to do this; docs/operations.md lists the permissions`;
    }
    const code = String((e as { code?: unknown }).code ?? '');
    if (NETWORK_CODES.has(code) || NETWORK_NAMES.has(name)) {
      return `cannot reach AWS: ${name === 'Error' || name === '' ? code : name}: ${message}. Check the network connection, a proxy (HTTPS_PROXY) or the Region's endpoint`;
    }
    if (typeof e === 'object' && e !== null && '$metadata' in e && !(e instanceof InputError)) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const fault = (e as { $fault?: string }).$fault;
      if (fault === 'server' || (status !== undefined && status >= 500) || /Throttl|TooManyRequests|LimitExceeded/.test(name)) {
        return `AWS failed or throttled the request: ${name}: ${message}. Try again in a moment`;
      }
    }
  }
  return undefined;
}

import { readFileSync } from 'node:fs';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CredentialsProviderError } from '@smithy/core/config';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';
import { COMMANDS } from '../../../bin/cli/commands';
import { setSfnClientFactory } from '../../../bin/cli/state-machines';

const run = (...argv: string[]) => runCli(argv);
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('Function: runCli (habits)', () => {
  it('prints the package version for --version, -V and version, exit 0', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      const out = await run(flag);
      expect(out.exitCode).toBe(0);
      expect(out.stdout).toBe(`pitstop ${pkg.version}\n`);
    }
  });

  it('prints one command\'s help for `help <command>`, not the general help', async () => {
    // Act
    const out = await run('help', 'drift');

    // Assess
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^Usage: pitstop drift /);
    expect(out.stdout).toContain('--reference SRC');
    expect(out.stdout).not.toContain('Commands:');
    expect(out.stdout).toEqual((await run('drift', '--help')).stdout);
  });

  it('lists the AWS options in the help of AWS commands only', async () => {
    expect((await run('help', 'status')).stdout).toMatch(/--region REGION[\s\S]*--profile NAME/);
    // The data commands read s3:// sources: they take them too.
    expect((await run('help', 'drift')).stdout).toMatch(/--region REGION[\s\S]*--profile NAME/);
    expect((await run('help', 'demo')).stdout).not.toContain('--region');
  });

  it('suggests the closest command for a typo, exit 2', async () => {
    const out = await run('drfit');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('unknown command "drfit" (did you mean drift?)');
    expect((await run('help', 'statsu')).stderr).toContain('(did you mean status?)');
  });

  it('says nothing it cannot back for a word far from every command', async () => {
    const out = await run('xyzzyplugh');
    expect(out.stderr).toContain('unknown command "xyzzyplugh"');
    expect(out.stderr).not.toContain('did you mean');
  });

  it('suggests the closest option for an unknown one, in its own words, exit 2', async () => {
    // Act
    const out = await run('drift', '--refrence', 'a.csv', '--current', 'b.csv');

    // Assess
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('pitstop drift: unknown option --refrence (did you mean --reference?)');
    expect(out.stderr).not.toMatch(/positional|To specify/);
    expect((await run('status', '--model', 'churn', '--regoin', 'eu-west-1')).stderr).toContain('(did you mean --region?)');
  });

  it('names an option left without its value, and a value given to a switch', async () => {
    expect((await run('drift', '--current', 'b.csv', '--reference')).stderr).toContain('--reference expects a value');
    expect((await run('drift', '--reference', '--current', 'b.csv')).stderr).toContain('--reference expects a value');
    expect((await run('trigger', '--model', 'churn', '--force=yes')).stderr).toContain('--force takes no value');
  });

  it('documents the four exit codes in the general help', async () => {
    expect((await run('--help')).stdout).toContain('0 ok, 1 the check failed (drift, gate, validation critical), 2 bad usage or bad input, 3 AWS or network error');
  });

  it('gives every command in the table a unique name, loading the command of that name, with a usage line starting with it', async () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      expect(cmd.name).toBe(entry.name);
      expect(cmd.usage.startsWith(cmd.name)).toBe(true);
    }
  });
});

describe('Function: runCli (AWS errors, exit 3)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    setSfnClientFactory((settings) => new SFNClient(settings));
  });

  /** An environment with no AWS configuration at all, and no instance metadata to ask. */
  function noAwsEnvironment(): void {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') && key !== 'AWS_CA_BUNDLE') delete process.env[key];
    process.env.AWS_CONFIG_FILE = '/nonexistent/pitstop-config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/pitstop-credentials';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  }

  it('explains a missing region with the fix, exit 3 (a real SDK client, no network)', async () => {
    // Prepare
    noAwsEnvironment();

    // Act
    const out = await run('status', '--model', 'churn');

    // Assess
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toMatch(/^pitstop status: no AWS Region: pass --region .*AWS_REGION/);
  });

  it('explains missing credentials with the fix, exit 3 (a real SDK client, no network)', async () => {
    // Prepare
    noAwsEnvironment();

    // Act
    const out = await run('status', '--model', 'churn', '--region', 'eu-west-1');

    // Assess
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toContain('no AWS credentials found');
    expect(out.stderr).toContain('--profile NAME');
    expect(out.stderr).not.toContain('CredentialsProviderError:');
  });

  it('passes --region and --profile to the client', async () => {
    // Prepare
    const seen: unknown[] = [];
    setSfnClientFactory((settings) => {
      seen.push(settings);
      throw new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false });
    });

    // Act
    const out = await run('trigger', '--model', 'churn', '--region', 'eu-central-1', '--profile', 'ops');

    // Assess
    expect(seen).toEqual([{ region: 'eu-central-1', profile: 'ops' }]);
    expect(out.exitCode).toBe(3);
  });

  it('rejects a malformed --region as bad usage, exit 2', async () => {
    const out = await run('status', '--model', 'churn', '--region', 'Ireland');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('--region expects an AWS Region code');
  });

  it.each([
    ['a network failure', Object.assign(new Error('getaddrinfo ENOTFOUND states.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }), /cannot reach AWS: ENOTFOUND/],
    ['access denied', Object.assign(new Error('User is not authorized to perform: states:ListStateMachines'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }), /AWS refused the request: AccessDeniedException/],
    ['throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } }), /throttled the request: ThrottlingException/],
    ['a server fault', Object.assign(new Error('internal'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } }), /AWS failed or throttled/],
  ])('maps %s to exit 3 with an explanation', async (_name, error, expected) => {
    // Prepare
    const sfn = mockClient(SFNClient);
    sfn.on(ListStateMachinesCommand).rejects(error);
    try {
      // Act
      const out = await run('status', '--model', 'churn', '--region', 'eu-west-1', '--json');

      // Assess
      expect(out.exitCode).toBe(3);
      expect(out.stderr).toMatch(expected);
      expect(JSON.parse(out.stdout).error).toMatch(expected);
    } finally {
      sfn.restore();
    }
  });
});

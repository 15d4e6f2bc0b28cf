/**
 * The README's real-account quick start, command by command, against
 * aws-sdk-client-mock: `pitstop example-data` writes the example's training and
 * holdout to S3 and a config whose data points there, the config deploys (it parses
 * and synthesizes with the built-in XGBoost), and `pitstop trigger` starts the retrain.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';
import { parseConfig } from '../../../vocabulary/config/index';
import { CHURN_COLUMNS } from '../../../examples/data/churn-schema';
import { STACK_OUTPUT_KEYS } from '../../../vocabulary/pipeline-names';

const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const dir = mkdtempSync(join(tmpdir(), 'pitstop-quick-start-'));
const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
afterEach(() => {
  s3.reset();
  sfn.reset();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (body: unknown) => String(body).trimEnd().split('\n');

describe('Function: pitstop example-data (README quick start)', () => {
  it('writes training and holdout with a header to the S3 prefix, and a config whose data points there', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});
    const configOut = join(dir, 'pitstop.json');
    // Act
    const out = await runCli(['example-data', '--out', 's3://my-bucket/churn/', '--config', 'examples/pitstop.xgboost.json', '--config-out', configOut, '--json']);
    // Assess
    expect(out.exitCode, out.stderr).toBe(0);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => `${p.Bucket}/${p.Key}`)).toEqual(['my-bucket/churn/training/train.csv', 'my-bucket/churn/holdout/holdout.csv']);
    const [train, holdout] = puts.map((p) => lines(p.Body));
    expect(train![0]).toBe(CHURN_COLUMNS.join(','));
    expect(holdout![0]).toBe(CHURN_COLUMNS.join(','));
    expect(train!.length - 1 + holdout!.length - 1).toBe(5000);
    expect(holdout!.length - 1).toBe(1000); // 20 % holdout
    const config = parseConfig(JSON.parse(readFileSync(configOut, 'utf8')));
    expect(config.models[0]!.data).toMatchObject({
      training: 's3://my-bucket/churn/training/',
      holdout: 's3://my-bucket/churn/holdout/holdout.csv',
      captureUri: 's3://my-bucket/churn/capture/',
      groundTruthUri: 's3://my-bucket/churn/ground-truth/',
    });
    expect(config.models[0]!.training.algorithm).toBe('xgboost');
  });

  it('writes a local directory without touching S3, and rejects a malformed S3 URI', async () => {
    // Act
    const local = await runCli(['example-data', '--out', join(dir, 'data'), '--rows', '100']);
    const bad = await runCli(['example-data', '--out', 's3://Bad_Bucket/x/']);
    // Assess
    expect(local.exitCode).toBe(0);
    expect(existsSync(join(dir, 'data', 'training', 'train.csv'))).toBe(true);
    expect(lines(readFileSync(join(dir, 'data', 'holdout', 'holdout.csv'), 'utf8'))).toHaveLength(21);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--out expects s3://BUCKET/PREFIX/');
  });

  it('matches the commands the README shows, and the trigger it ends with starts the retrain', async () => {
    // Prepare
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [{ name: 'pitstop-churn-retrain', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:pitstop-churn-retrain', type: 'STANDARD', creationDate: new Date() }],
    });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:pitstop-churn-retrain:1', startDate: new Date(0) });
    // Assess: the README's quick start runs these commands
    expect(readme).toContain('$ pitstop example-data --out s3://$BUCKET/churn/ --config examples/pitstop.xgboost.json --config-out pitstop.json');
    expect(readme).toContain("const { models } = await loadConfig('pitstop.json');");
    expect(readme).toContain('$ npx cdk deploy\n');
    expect(readme).toContain('$ pitstop trigger --model churn');
    // and the variant from a clone
    expect(readme).toContain('`npm run --silent pitstop -- example-data --out s3://$BUCKET/churn/ --config examples/pitstop.xgboost.json --config-out pitstop.json`');
    expect(readme).toContain('`npx cdk deploy -c config=pitstop.json`');
    expect(readme).toContain('`npm run --silent pitstop -- trigger --model churn`');
    // Act
    const out = await runCli(['trigger', '--model', 'churn']);
    // Assess
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('Started retrain of churn: arn:aws:states:us-east-1:123456789012:execution:pitstop-churn-retrain:1');
  });

  it('shows the deploy\'s outputs under the keys the stack declares', () => {
    // Prepare
    const deploy = readme.slice(readme.indexOf('$ npx cdk deploy\n'));
    const transcript = deploy.slice(0, deploy.indexOf('```'));
    // Assess
    expect(transcript).toContain('✅  Pitstop-churn');
    for (const [kind, key] of Object.entries(STACK_OUTPUT_KEYS)) {
      expect(transcript, key).toMatch(new RegExp(`^\\s*Pitstop-churn\\.${key} = arn:aws:states:[a-z0-9-]+:\\d{12}:stateMachine:pitstop-churn-${kind}$`, 'm'));
    }
    expect(transcript).toMatch(/arn:aws:cloudformation:[a-z0-9-]+:\d{12}:stack\/Pitstop-churn\//);
  });
});

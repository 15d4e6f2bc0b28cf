import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPRESS_EXECUTION_LIMIT, FAN_OUT_STATES, SHARD_FAILED } from '../../statemachines/monitor-fan-out';
import { FUNCTION_SIZES } from '../../infra/functions';
import { stateKey } from '../../statemachines';
import { FakeAlarms, FakeStarts, FakeTable, messagingHandlers, reportResult } from './fakes';
import { modelConfig, synthesize, type Synthesized } from './fixtures';
import { callsTo, run, stepError, type Handler } from './harness';

/** The resolved Distributed Map state of the monitor. */
function mapState(synth: Synthesized): Record<string, any> {
  return (synth.definitions.monitor.States as Record<string, any>)[FAN_OUT_STATES.map];
}

describe('State machine: Monitor fan-out (template)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it('reads the plan manifest, runs EXPRESS children at the configured concurrency, tolerates no failure and writes its results to the artifacts bucket', () => {
    // Act
    const map = mapState(synth);

    // Assess
    expect(map).toMatchObject({
      Type: 'Map',
      Label: 'Shards',
      MaxConcurrency: 40,
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Key.$': '$.plan.manifestKey' },
      },
      ItemSelector: { 'shard.$': '$$.Map.Item.Value', 'window.$': '$.window', 'partialsKey.$': '$.plan.partialsKey' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: FAN_OUT_STATES.child },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Prefix: 'fanout/churn/results' } },
      ResultPath: '$.fanOut',
      Next: FAN_OUT_STATES.reduce,
    });
    // No ToleratedFailurePercentage: Step Functions' default, 0 (CDK leaves a 0 out)
    expect(map.ToleratedFailurePercentage).toBeUndefined();
    expect(typeof map.ItemReader.Parameters.Bucket).toBe('string');
    expect(map.ResultWriter.Parameters.Bucket).toBe(map.ItemReader.Parameters.Bucket);
    // A failed child fails with the shard named; the Monitor's catch takes the map's failure.
    expect(map.ItemProcessor.States[FAN_OUT_STATES.childFail]).toEqual({ Type: 'Fail', Error: SHARD_FAILED, CausePath: '$.failure.cause' });
    expect(map.ItemProcessor.States[FAN_OUT_STATES.childFailed].Parameters['cause.$']).toMatch(/\$\.shard\.index/);
    expect(map.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Monitor error' })]);
  });

  it('takes MaxConcurrency and ToleratedFailurePercentage from the config', () => {
    // Act
    const map = mapState(synthesize(modelConfig({ monitor: { maxConcurrency: 7, toleratedFailurePercentage: 2.5 } })));

    // Assess
    expect(map).toMatchObject({ MaxConcurrency: 7, ToleratedFailurePercentage: 2.5 });
  });

  it("keeps every child's Lambda and task timeout under the 5 minutes of an EXPRESS execution", () => {
    // Act
    const child = mapState(synth).ItemProcessor.States[FAN_OUT_STATES.child];

    // Assess
    expect(FUNCTION_SIZES.summarizeShard.timeout.toSeconds()).toBeLessThan(EXPRESS_EXECUTION_LIMIT.toSeconds());
    expect(child.TimeoutSeconds).toBeLessThan(EXPRESS_EXECUTION_LIMIT.toSeconds());
    expect(child.TimeoutSeconds).toBeGreaterThan(FUNCTION_SIZES.summarizeShard.timeout.toSeconds());
  });

  it('plans before validating and chooses the single path or the fan-out', () => {
    // Act
    const states = synth.definitions.monitor.States as Record<string, any>;

    // Assess
    expect(states['Read recorded state'].Next).toBe(FAN_OUT_STATES.plan);
    expect(states[FAN_OUT_STATES.plan].Parameters).toMatchObject({ fanOutBytes: 9_000_000_000, shardBytes: 2_700_000_000 });
    expect(states[FAN_OUT_STATES.decide]).toMatchObject({
      Choices: [{ Variable: '$.plan.decision', StringEquals: 'fanOut', Next: FAN_OUT_STATES.map }],
      Default: 'Validate captured data',
    });
    expect(states[FAN_OUT_STATES.reduce].Next).toBe(FAN_OUT_STATES.take);
    expect(states[FAN_OUT_STATES.take].Next).toBe('Merged data usable?');
  });

  it('grants the Distributed Map its own executions and S3 under fanout/<model>/ only', () => {
    // Act
    const policies = synth.template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement as any[]);
    const text = JSON.stringify(statements);

    // Assess: StartExecution on the monitor itself, Describe/Stop on its executions
    synth.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'states:StartExecution', Resource: { Ref: Match.stringLikeRegexp('MachinesMonitor') } }),
          Match.objectLike({ Action: ['states:DescribeExecution', 'states:StopExecution'] }),
        ]),
      },
    });
    // The manifest read and the results written name the fan-out prefix, never the whole bucket
    const s3 = statements.filter((s) => [s.Action].flat().some((a: string) => a === 's3:PutObject' || a === 's3:GetObject') && JSON.stringify(s.Resource).includes('Artifacts'));
    const stateMachineS3 = s3.filter((s) => JSON.stringify(s.Resource).includes('fanout/churn/'));
    expect(stateMachineS3.length).toBeGreaterThanOrEqual(2);
    expect(text).not.toMatch(/"Artifacts[A-Za-z0-9]*","Arn"\]\},"\/\*"\]/);
  });
});

describe('State machine: Monitor fan-out (runs)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });
  const NOW = '2024-06-10T12:00:00.000Z';
  const SHARDS = [0, 1, 2].map((index) => ({ index, bytes: 100 + index, pieces: [{ uri: `s3://cap/p/${index}.jsonl`, start: 0, end: 100 + index, size: 100 + index }] }));
  const DRIFT = { features: [{ feature: 'age', method: 'psi', score: 0.31, threshold: 0.2, drifted: true }], driftedFeatures: 1, rows: 900 };

  function world() {
    const table = new FakeTable();
    table.items.set(stateKey('churn'), { pk: { S: stateKey('churn') }, baselineUri: { S: 's3://a/baselines/churn/b.json' } });
    const alarms = new FakeAlarms({ 'pitstop-churn-drifted-features': 'OK', 'pitstop-churn-new-labeled-samples': 'OK' });
    // The artifacts bucket as the resolved definition names it: the reader's bucket is the pipeline's.
    const bucket = mapState(synth).ItemReader.Parameters.Bucket as string;
    const objects = new Map([[`s3://${bucket}/fanout/churn/run/shards.json`, JSON.stringify(SHARDS)]]);
    return { objects, integrations: { ...table.handlers(), ...messagingHandlers(), ...alarms.handlers(), ...new FakeStarts().handlers() } };
  }
  function states(extra: Record<string, Handler> = {}, validation: Record<string, unknown> = { status: 'healthy', checks: [], rows: 900 }): Record<string, Handler> {
    return {
      'Plan window': () => ({ decision: 'fanOut', bytes: 303, objects: 3, shards: 3, manifestBucket: 'art', manifestKey: 'fanout/churn/run/shards.json', partialsKey: 'fanout/churn/run/partials/' }),
      'Summarize shard': (input: any) => ({ shard: input.shard.index, partialUri: `s3://art/p/${input.shard.index}.bin`, rows: 300, bytes: input.shard.bytes }),
      'Merge partial summaries': () => ({ validation, drift: DRIFT }),
      'Measure quality': () => ({ metrics: [], newLabeledSamples: 0, matched: 0 }),
      'Write report': reportResult,
      ...extra,
    };
  }

  it('fans out one child per shard, merges their results and goes on without the single path', async () => {
    // Prepare
    const w = world();

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: w.integrations, states: states(), objects: w.objects, startTime: NOW });

    // Assess: each child got its shard and the run's window; the reduce read the ResultWriter's manifest
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, FAN_OUT_STATES.child).map((c) => c.input.shard)).toEqual(SHARDS);
    expect(callsTo(execution, FAN_OUT_STATES.child)[0]!.input).toMatchObject({ baselineUri: 's3://a/baselines/churn/b.json', partialsBucket: 'art', partialsKey: 'fanout/churn/run/partials/' });
    const reduce = callsTo(execution, FAN_OUT_STATES.reduce)[0]!.input;
    const manifest = JSON.parse(w.objects.get(`s3://${reduce.results.Bucket}/${reduce.results.Key}`)!);
    expect(reduce.results.Key).toMatch(/^fanout\/churn\/results\/.+\/manifest\.json$/);
    const succeeded = JSON.parse(w.objects.get(`s3://${manifest.DestinationBucket}/${manifest.ResultFiles.SUCCEEDED[0].Key}`)!);
    expect(succeeded.map((r: any) => JSON.parse(r.Output).shard).sort()).toEqual([0, 1, 2]);
    expect(callsTo(execution, 'Validate captured data')).toEqual([]);
    expect(callsTo(execution, 'Detect drift')).toEqual([]);
    expect(execution.output.drift).toEqual(DRIFT);
    expect(execution.states).toContain('Merged data usable?');
  });

  it('fails the run with PipelineFailed naming the shard when a child fails, and writes the report', async () => {
    // Prepare
    const w = world();
    const failing = states({ 'Summarize shard': (input: any) => { if (input.shard.index === 1) throw stepError('Lambda.Unknown', 'out of memory'); return { shard: input.shard.index, partialUri: 'x', rows: 1, bytes: 1 }; } });

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: w.integrations, states: failing, objects: w.objects, startTime: NOW });

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PipelineFailed');
    expect(execution.cause).toMatch(/shard 1 \(101 bytes\) failed: Lambda.Unknown: out of memory/);
    expect(callsTo(execution, FAN_OUT_STATES.reduce)).toEqual([]);
    expect(callsTo(execution, 'Write report')).toHaveLength(1);
  });

  it('fails the run with PipelineFailed when the merge fails, and writes the report', async () => {
    // Prepare
    const w = world();
    const failing = states({ [FAN_OUT_STATES.reduce]: () => { throw stepError('InputError', 'every shard was lost'); } });

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: w.integrations, states: failing, objects: w.objects, startTime: NOW });

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PipelineFailed');
    expect(execution.cause).toMatch(/every shard was lost/);
    expect(callsTo(execution, 'Write report')).toHaveLength(1);
  });

  it.each([
    ['critical merged data ends DataQualityFailed', { status: 'critical', checks: [], rows: 900 }, 'FAILED', 'Captured data critical'],
    ['a quiet merged window is no verdict', { status: 'healthy', checks: [], rows: 3, insufficientData: true }, 'SUCCEEDED', 'Too little captured data'],
  ])('%s', async (_name, validation, status, through) => {
    // Prepare
    const w = world();

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: w.integrations, states: states({}, validation), objects: w.objects, startTime: NOW });

    // Assess
    expect(execution.status).toBe(status);
    expect(execution.states).toContain(through);
  });
});

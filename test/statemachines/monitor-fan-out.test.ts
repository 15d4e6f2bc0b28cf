import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPRESS_EXECUTION_LIMIT, FAN_OUT_STATES, SHARD_FAILED } from '../../statemachines/monitor-fan-out';
import { FUNCTION_SIZES } from '../../infra/functions';
import { modelConfig, synthesize, type Synthesized } from './fixtures';

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

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLocalEngine } from '../../local/asl';
import { LocalBackend } from '../../local/backend';
import { parseResource, taskHandlersFor, type DispatchOptions, type LocalLambda } from '../../local/dispatch';
import { tempRoot } from './backend/helpers';

let cleanup: () => void;
let backend: LocalBackend;
beforeEach(() => {
  const t = tempRoot();
  cleanup = t.cleanup;
  backend = new LocalBackend({ root: t.root });
});
afterEach(() => cleanup());

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:score';

/** A small machine: Lambda (direct ARN), lock (DynamoDB, caught by name), Parallel with lambda:invoke and an SDK call. */
const definition = {
  StartAt: 'Score',
  States: {
    Score: { Type: 'Task', Resource: FN, Parameters: { 'x.$': '$.x' }, ResultPath: '$.score', Next: 'Take lock' },
    'Take lock': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: {
        TableName: 'locks',
        Item: { pk: { S: 'LOCK#m' }, executionId: { 'S.$': '$$.Execution.Id' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      ResultPath: null,
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.caught', Next: 'Busy' }],
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Invoke',
          States: {
            Invoke: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: `${FN}:$LATEST`, 'Payload.$': '$' },
              ResultSelector: { 'value.$': '$.Payload.value', 'status.$': '$.StatusCode' },
              End: true,
            },
          },
        },
        {
          StartAt: 'Count',
          States: {
            Count: {
              Type: 'Task',
              Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
              Parameters: { Namespace: 'Pitstop', MetricData: [{ MetricName: 'Runs', Value: 1 }] },
              End: true,
            },
          },
        },
      ],
      ResultPath: '$.both',
      Next: 'Fails',
    },
    Fails: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:broken',
      Catch: [{ ErrorEquals: ['GateRejected'], ResultPath: '$.rejected', Next: 'Done' }],
      End: true,
    },
    Busy: { Type: 'Fail', Error: 'Busy', Cause: 'lock held' },
    Done: { Type: 'Succeed' },
  },
};

class GateRejected extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GateRejected';
  }
}

const lambdas: Record<string, LocalLambda> = {
  score: async (event) => ({ value: ((event as { x: number }).x ?? 0) * 2 }),
  broken: async () => {
    throw new GateRejected('candidate is worse');
  },
};

async function run(def: Record<string, unknown>, input: unknown, options: DispatchOptions = {}, id = 'run-1') {
  const { StateMachine } = await loadLocalEngine();
  const machine = new StateMachine(def as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: taskHandlersFor(def, backend, lambdas, options) as never },
    context: { Execution: { Id: `arn:aws:states:us-east-1:123456789012:execution:m:${id}` } },
  });
  try {
    return { status: 'SUCCEEDED', output: await execution.result } as const;
  } catch (err) {
    const e = err as { cause?: { name?: string; message?: string }; name?: string; message?: string };
    return { status: 'FAILED', error: e.cause?.name ?? e.name, cause: e.cause?.message ?? e.message } as const;
  }
}

describe('Function: taskHandlersFor', () => {
  it('runs Lambda, DynamoDB and SDK tasks against the backend, mapping errors to Step Functions names', async () => {
    // Act
    const first = await run(definition, { x: 21 });
    // Assess
    expect(first.status).toBe('SUCCEEDED');
    const out = first.output as Record<string, any>;
    expect(out.score).toEqual({ value: 42 });
    expect(out.both[0]).toEqual({ value: 42, status: 200 }); // Payload $ carries x = 21
    expect(out.rejected.Error).toBe('GateRejected');
    expect(JSON.parse(out.rejected.Cause)).toMatchObject({ errorType: 'GateRejected', errorMessage: 'candidate is worse' });
    expect(backend.dynamodb.items('locks')).toEqual([{ pk: { S: 'LOCK#m' }, executionId: { S: 'arn:aws:states:us-east-1:123456789012:execution:m:run-1' } }]);
    expect(backend.cloudwatch.samples('Pitstop', 'Runs', [])).toHaveLength(1);

    // A second run finds the lock taken and is caught by name.
    const second = await run(definition, { x: 1 }, {}, 'run-2');
    expect(second).toMatchObject({ status: 'FAILED', error: 'Busy' });
  });

  it('names aws-sdk errors <Service>.<Code>Exception and unknown Lambdas Lambda.ResourceNotFoundException', async () => {
    const def = {
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Parameters: { Bucket: 'nobucket', Key: 'k' },
          Catch: [{ ErrorEquals: ['S3.NoSuchBucketException'], ResultPath: '$.e', Next: 'Missing' }],
          End: true,
        },
        Missing: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:nope', End: true },
      },
    };
    expect(await run(def, {})).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });

  it('delegates startExecution.sync:2 and returns the DescribeExecution shape; a failed child is States.TaskFailed', async () => {
    const def = {
      StartAt: 'Child',
      States: {
        Child: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:canary', Input: { 'runId.$': '$.runId' } },
          ResultSelector: { 'output.$': '$.Output' },
          End: true,
        },
      },
    };
    const seen: unknown[] = [];
    const ok = await run(def, { runId: 'r1' }, {
      startExecution: async (req) => {
        seen.push(req.input);
        return { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:canary:c1', status: 'SUCCEEDED', output: { promoted: true } };
      },
    });
    expect(seen).toEqual([{ runId: 'r1' }]);
    expect(ok).toEqual({ status: 'SUCCEEDED', output: { output: { promoted: true } } });
    const failed = await run(def, { runId: 'r2' }, {
      startExecution: async () => ({ executionArn: 'arn:c2', status: 'FAILED', error: 'CanaryBreached', cause: 'p99 too high' }),
    });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(failed.status === 'FAILED' ? failed.cause! : '{}')).toMatchObject({ Status: 'FAILED', Error: 'CanaryBreached', Cause: 'p99 too high' });
  });

  it('publishes then waits for the task token', async () => {
    const def = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'approve?', 'Token.$': '$.token' },
          End: true,
        },
      },
    };
    const result = await run(def, { token: 'tok-1' }, { waitForTaskToken: async (req) => ({ approved: true, token: req.input }) });
    expect(backend.sns.messages.map((m) => m.Message)).toEqual(['approve?']);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
  });
});

describe('Function: taskHandlersFor (events:putEvents)', () => {
  it('serializes an object Detail as Step Functions does, so the event reaches the bus whole', async () => {
    const def = {
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ Source: 'pitstop', DetailType: 'Pitstop Run Outcome', Detail: { 'outcome.$': '$.outcome', model: 'churn' } }] },
          End: true,
        },
      },
    };
    const result = await run(def, { outcome: 'Promoted' });
    expect(result.status).toBe('SUCCEEDED');
    expect(backend.eventbridge.events.map((e) => [e.source, e['detail-type'], e.detail])).toEqual([
      ['pitstop', 'Pitstop Run Outcome', { outcome: 'Promoted', model: 'churn' }],
    ]);
  });
});

describe('Function: taskHandlersFor (.sync SageMaker jobs)', () => {
  it('creates the job, polls Describe until Completed, and fails with States.TaskFailed when the job fails', async () => {
    // Prepare: a stand-in SageMaker whose jobs are InProgress for two Describe calls
    const describes: Record<string, number> = {};
    backend.register({
      serviceName: 'sagemaker',
      call: async (action, input) => {
        const name = String(input.TrainingJobName);
        if (action === 'CreateTrainingJob') return { TrainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${name}` };
        if (action !== 'DescribeTrainingJob') throw new Error(action);
        describes[name] = (describes[name] ?? 0) + 1;
        const status = describes[name]! < 3 ? 'InProgress' : name.startsWith('bad') ? 'Failed' : 'Completed';
        return { TrainingJobName: name, TrainingJobStatus: status, ModelArtifacts: { S3ModelArtifacts: `s3://m/${name}.tar.gz` }, CreationTime: new Date(0) };
      },
    });
    const def = {
      StartAt: 'Train',
      States: {
        Train: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
          Parameters: { 'TrainingJobName.$': '$.name' },
          ResultSelector: { 'artifacts.$': '$.ModelArtifacts.S3ModelArtifacts', 'created.$': '$.CreationTime' },
          End: true,
        },
      },
    };
    // Act / Assess
    expect(await run(def, { name: 'good' }, { pollIntervalMs: 1 })).toEqual({ status: 'SUCCEEDED', output: { artifacts: 's3://m/good.tar.gz', created: 0 } });
    expect(describes.good).toBe(3);
    const failed = await run(def, { name: 'bad' }, { pollIntervalMs: 1 });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
  });
});

describe('Function: parseResource', () => {
  it('reads service, action and pattern', () => {
    expect(parseResource('arn:aws:states:::sagemaker:createTrainingJob.sync')).toEqual({ kind: 'optimized', service: 'sagemaker', action: 'createTrainingJob', pattern: 'sync' });
    expect(parseResource('arn:aws:states:::states:startExecution.sync:2')).toMatchObject({ pattern: 'sync:2' });
    expect(parseResource('arn:aws:states:::aws-sdk:sagemaker:describeEndpoint')).toMatchObject({ kind: 'sdk', action: 'describeEndpoint', pattern: '' });
    expect(parseResource(FN)).toEqual({ kind: 'function', functionArn: FN });
  });
});

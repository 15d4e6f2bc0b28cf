import { createRequire } from 'node:module';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resolveDefinition, resolveExpression } from '../../local/asl';
import { modelConfig, synthesize } from './fixtures';

/** asl-validator ships CommonJS without types. */
const validator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => { isValid: boolean; errors: unknown[] };

const variants = {
  'auto approval': modelConfig(),
  'manual approval with tuning': modelConfig({
    approval: { mode: 'manual' },
    training: {
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1',
      tuning: { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } },
    },
  }),
  'spot training': modelConfig({ training: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1', managedSpot: true } }),
  'training set from history and traffic, with tuning': modelConfig({
    features: [{ name: 'age', type: 'numeric' }],
    data: {
      training: 's3://churn-data/training/',
      holdout: 's3://churn-data/holdout/',
      captureUri: 's3://churn-data/capture/',
      groundTruthUri: 's3://churn-data/ground-truth/',
      dataset: { history: { window: 'P365D', timestampColumn: 'ts' }, output: { format: 'parquet' } },
    },
    training: {
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1',
      tuning: { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } },
    },
  }),
};

describe('Function: synthesized definitions', () => {
  it.each(Object.entries(variants))('every state machine passes asl-validator (%s)', (_name, model) => {
    // Act
    const { definitions } = synthesize(model);

    // Assess
    for (const [machine, definition] of Object.entries(definitions)) {
      const result = validator(definition);
      expect({ machine, errors: result.errors }).toEqual({ machine, errors: [] });
      expect(result.isValid).toBe(true);
    }
  }, 180_000);

  it('uses JSONPath, never JSONata', () => {
    const { definitions } = synthesize();
    for (const definition of Object.values(definitions)) {
      expect(JSON.stringify(definition)).not.toContain('"QueryLanguage":"JSONata"');
    }
  });

  it('gives every Task a retrier and a timeout', () => {
    const { definitions } = synthesize(variants['manual approval with tuning']);
    const offenders: string[] = [];
    const visit = (d: any) => {
      for (const [name, state] of Object.entries<any>(d.States)) {
        if (state.Type === 'Task' && (!state.Retry?.length || !(state.TimeoutSeconds > 0))) offenders.push(name);
        for (const b of state.Branches ?? []) visit(b);
        if (state.ItemProcessor) visit(state.ItemProcessor);
      }
    };
    Object.values(definitions).forEach(visit);
    expect(offenders).toEqual([]);
  });

  it('catches named errors before States.ALL', () => {
    const { definitions } = synthesize(variants['manual approval with tuning']);
    const catches = (state: any) => (state.Catch ?? []).map((c: any) => c.ErrorEquals).flat();
    const retrain = definitions.retrain as any;
    expect(catches(retrain.States['Take run lock'])).toEqual(['DynamoDB.ConditionalCheckFailedException', 'States.ALL']);
    expect(catches(retrain.States['Ask for approval'])).toEqual(['ApprovalRejected', 'States.Timeout', 'States.HeartbeatTimeout', 'States.ALL']);
    expect(catches(retrain.States['Tune candidate']).slice(0, 3)).toEqual(['States.TaskFailed', 'States.Timeout', 'SageMaker.AmazonSageMakerException']);
    expect(retrain.States['Ask for approval'].TimeoutSeconds).toBe(24 * 3600);
    expect(retrain.States['Tune candidate'].Resource).toBe('arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync');
  });

  it('passes spot training, its wait limit and checkpoints to the .sync training job; on demand passes none', () => {
    // Prepare
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1';
    const tuning = { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } };

    // Act
    const spot = synthesize(modelConfig({ training: { image, managedSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 5400 } }));
    const onDemand = synthesize(modelConfig());
    const spotTuning = synthesize(modelConfig({ training: { image, managedSpot: true, maxRuntimeSeconds: 3600, tuning } }));

    // Assess
    const train = (spot.definitions.retrain as any).States['Train candidate'];
    expect(train.Resource).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    expect(train.Parameters).toMatchObject({
      'TrainingJobName.$': '$.run.trainingJobName',
      EnableManagedSpotTraining: true,
      StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 5400 },
      CheckpointConfig: { 'S3Uri.$': '$.run.checkpointUri' },
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
    });
    expect(train.TimeoutSeconds).toBe(5400 + 3600);
    const plain = (onDemand.definitions.retrain as any).States['Train candidate'].Parameters;
    expect(plain.EnableManagedSpotTraining).toBeUndefined();
    expect(plain.CheckpointConfig).toBeUndefined();
    expect(plain.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86_400 });
    const definition = (spotTuning.definitions.retrain as any).States['Tune candidate'].Parameters.TrainingJobDefinition;
    expect(definition).toMatchObject({ EnableManagedSpotTraining: true, StoppingCondition: { MaxWaitTimeInSeconds: 7200 }, CheckpointConfig: { 'S3Uri.$': '$.run.checkpointUri' } });

    // the .sync integration's IAM: the job, its tags, the managed rule, passing the role to SageMaker
    const statements = Object.values<any>(spot.template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const text = JSON.stringify(statements);
    const job = statements.find((st) => [st.Action].flat().includes('sagemaker:CreateTrainingJob'));
    expect([job.Action].flat().sort()).toEqual(['sagemaker:AddTags', 'sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:ListTags', 'sagemaker:StopTrainingJob']);
    expect(JSON.stringify(job.Resource)).toContain(':training-job/pitstop-churn-*');
    expect(text).toContain('rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule');
    const pass = statements.find((st) => st.Action === 'iam:PassRole');
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
  });

  it('creates the lock table, the model package group and the SageMaker role', () => {
    const { template } = synthesize();
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 4);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'pitstop-churn' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })]),
      }),
    });
  });
});

describe('Function: resolveExpression', () => {
  const template = {
    Resources: {
      Fn1: { Type: 'AWS::Lambda::Function' },
      Topic1: { Type: 'AWS::SNS::Topic' },
      Table1: { Type: 'AWS::DynamoDB::Table' },
    },
  };

  it('turns Refs, GetAtts and pseudo parameters into well-formed fake values', () => {
    // Act
    const resolved = resolveExpression(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, '|', { 'Fn::GetAtt': ['Fn1', 'Arn'] }, '|', { Ref: 'Topic1' }, '|', { Ref: 'Table1' }]] },
      template,
    );

    // Assess
    expect(resolved.split('|')).toEqual([
      'arn:aws',
      'arn:aws:lambda:us-east-1:123456789012:function:fn1',
      'arn:aws:sns:us-east-1:123456789012:topic1',
      'table1',
    ]);
  });

  it('rejects a Ref to a resource the template does not have', () => {
    expect(() => resolveExpression({ Ref: 'Nope' }, template)).toThrow(/Ref to a resource/);
  });

  it('parses a resolved DefinitionString', () => {
    const def = resolveDefinition({ 'Fn::Join': ['', ['{"StartAt":"', { Ref: 'Table1' }, '"}']] }, template);
    expect(def).toEqual({ StartAt: 'table1' });
  });
});

/**
 * SageMaker's XGBoost and scikit-learn containers in the synthesized stack: the image
 * resolves per region at deploy through a CloudFormation mapping (checked against the
 * registry tables in test/fixtures/sagemaker-registries), the training channel is the
 * label-first CSV, and the framework's script travels as hyperparameters and model
 * environment. The stack has no environment: nothing is looked up at synth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type ModelConfig } from '../../vocabulary/config/index';
import { resolveStateMachines } from '../../local/asl';
import { synthesizeModel, type SynthesizedModel } from '../../local/synth';
import { REGISTRY_MAPPING_ID, REGISTRY_MAPPING_KEY, jsonHyperparameter } from '../../statemachines/model-containers';

const REPO = join(__dirname, '..', '..');
const reference = (name: string) =>
  JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'sagemaker-registries', `${name}.json`), 'utf8')) as { repository: string; registries: Record<string, string> };
const isolated = (region: string) => /^us-iso/.test(region);

const example = (file: string): ModelConfig => {
  const model = parseConfig(JSON.parse(readFileSync(join(REPO, 'examples', file), 'utf8'))).models[0]!;
  return { ...model, training: { ...model.training, ...(model.training.sourceDir ? { sourceDir: join(REPO, model.training.sourceDir) } : {}) } };
};

type State = { Parameters?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Every state of the Retrain, those inside Parallel branches too, by name. */
const retrainStates = (synth: SynthesizedModel, region: string): Record<string, State> => {
  const machine = resolveStateMachines(synth.template, { region }).find((m) => JSON.stringify(m.definition).includes('Train candidate'))!;
  const all: Record<string, State> = {};
  const walk = (states: Record<string, State & { Branches?: { States: Record<string, State> }[] }>) => {
    for (const [name, state] of Object.entries(states)) {
      all[name] = state;
      for (const branch of state.Branches ?? []) walk(branch.States);
    }
  };
  walk((machine.definition as { States: Record<string, State> }).States);
  return all;
};

let xgb: SynthesizedModel;
let skl: SynthesizedModel;
beforeAll(() => {
  xgb = synthesizeModel(example('pitstop.xgboost.json'));
  skl = synthesizeModel(example('pitstop.sklearn.json'));
}, 120_000);

describe('Function: modelContainers (XGBoost)', () => {
  it('maps every region of SageMaker\'s table to its registry account', () => {
    // Prepare
    const table = reference('xgboost-1.7-1').registries;
    const mapping = (xgb.template as { Mappings?: Record<string, Record<string, Record<string, string>>> }).Mappings?.[REGISTRY_MAPPING_ID];
    // Assess
    expect(mapping?.['us-east-1']?.[REGISTRY_MAPPING_KEY]).toBe('683313688378');
    const regions = Object.keys(table).filter((r) => !isolated(r));
    expect(regions.length).toBeGreaterThan(30);
    for (const region of regions) expect(mapping?.[region]?.[REGISTRY_MAPPING_KEY], region).toBe(table[region]);
  });

  it('resolves the training and inference image at deploy, in whichever region the stack lands', () => {
    // Prepare
    const table = reference('xgboost-1.7-1');
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2']) {
      // Act
      const states = retrainStates(xgb, region);
      // Assess
      const image = `${table.registries[region]}.dkr.ecr.${region}.amazonaws.com/${table.repository}:1.7-1`;
      expect(states['Train candidate']!.Parameters!.AlgorithmSpecification.TrainingImage, region).toBe(image);
      expect(states['Create candidate model']!.Parameters!.PrimaryContainer.Image, region).toBe(image);
      expect(states['Register candidate']!.Parameters!.InferenceSpecification.Containers[0].Image, region).toBe(image);
    }
    // The stack itself names no region: the image is a mapping lookup on AWS::Region.
    expect(JSON.stringify(xgb.template)).toContain('"Fn::FindInMap":["SageMakerRegistryAccounts",{"Ref":"AWS::Region"},"account"]');
  });

  it('trains on the label-first, header-less CSV channel that the preparation step writes', () => {
    // Act
    const states = retrainStates(xgb, 'us-east-1');
    // Assess
    expect(states['Prepare training channel']!.Parameters).toMatchObject({
      labelFirst: true,
      holdoutUri: 's3://pitstop-example-data/churn/training/',
      features: ['tenure_months', 'monthly_charges', 'total_charges', 'support_calls', 'age'],
      'transformInputUri.$': '$.run.trainChannelUri',
    });
    expect(states['Train candidate']!.Parameters!.InputDataConfig).toEqual([
      {
        ChannelName: 'train',
        ContentType: 'text/csv',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': '$.trainingChannel.transformInputUri', S3DataDistributionType: 'FullyReplicated' } },
      },
    ]);
    expect(states['Train candidate']!.Parameters!.HyperParameters).toEqual({ num_round: '60', max_depth: '4', eta: '0.2', subsample: '0.9', eval_metric: 'auc', objective: 'binary:logistic' });
    expect(states['Score holdout with candidate']!.Parameters!.TransformInput).toMatchObject({ ContentType: 'text/csv', SplitType: 'Line' });
  });

  it('grants no ECR pull on SageMaker\'s registries (the service pulls its own images)', () => {
    // Act
    const policies = JSON.stringify(Template.fromJSON(xgb.template as never).findResources('AWS::IAM::Policy'));
    // Assess
    expect(policies).not.toContain('683313688378');
    expect(policies).not.toContain('repository/sagemaker-xgboost');
  });
});

describe('Function: modelContainers (scikit-learn script mode)', () => {
  it('maps every region of SageMaker\'s scikit-learn table to its registry account', () => {
    // Prepare
    const table = reference('sklearn-1.2-1').registries;
    const mapping = (skl.template as { Mappings?: Record<string, Record<string, Record<string, string>>> }).Mappings?.[REGISTRY_MAPPING_ID];
    // Assess
    expect(mapping?.['us-east-1']?.[REGISTRY_MAPPING_KEY]).toBe('683313688378');
    const regions = Object.keys(table).filter((r) => !isolated(r));
    expect(regions.length).toBeGreaterThan(30);
    for (const region of regions) expect(mapping?.[region]?.[REGISTRY_MAPPING_KEY], region).toBe(table[region]);
  });

  it('trains on the label-first channel that the preparation step writes', () => {
    // Act
    const states = retrainStates(skl, 'us-east-1');
    // Assess
    expect(states['Prepare training channel']!.Parameters).toMatchObject({
      labelFirst: true,
      features: ['tenure_months', 'monthly_charges', 'total_charges', 'support_calls', 'age'],
      'transformInputUri.$': '$.run.trainChannelUri',
    });
    expect(states['Train candidate']!.Parameters!.InputDataConfig[0]).toMatchObject({
      ChannelName: 'train',
      DataSource: { S3DataSource: { 'S3Uri.$': '$.trainingChannel.transformInputUri' } },
    });
  });

  it('uses the framework image of the region and passes the script as the toolkit expects it', () => {
    // Prepare
    const table = reference('sklearn-1.2-1');
    const asset = skl.fileAssets.find((a) => a.bytes[0] === 0x1f && a.bytes[1] === 0x8b)!;
    // Act
    const states = retrainStates(skl, 'eu-central-1');
    // Assess
    const image = `${table.registries['eu-central-1']}.dkr.ecr.eu-central-1.amazonaws.com/${table.repository}:1.2-1-cpu-py3`;
    const submit = `s3://cdk-hnb659fds-assets-123456789012-eu-central-1/${asset.objectKey}`;
    const train = states['Train candidate']!.Parameters!;
    expect(train.AlgorithmSpecification.TrainingImage).toBe(image);
    expect(train.HyperParameters).toEqual({
      max_iter: '100',
      learning_rate: '0.1',
      sagemaker_program: '"train.py"',
      sagemaker_submit_directory: `"${submit}"`,
    });
    expect(train.InputDataConfig[0].ContentType).toBe('text/csv');
    expect(states['Create candidate model']!.Parameters!.PrimaryContainer).toMatchObject({
      Image: image,
      Environment: { SAGEMAKER_PROGRAM: 'train.py', SAGEMAKER_SUBMIT_DIRECTORY: submit },
    });
  });

  it('uploads sourcedir.tar.gz, a gzipped tar holding the entry point, as a file asset the SageMaker role may read', async () => {
    // Prepare
    const asset = skl.fileAssets.find((a) => a.bytes[0] === 0x1f && a.bytes[1] === 0x8b);
    // Assess
    expect(asset, 'a gzip file asset').toBeDefined();
    const { gunzipSync } = await import('node:zlib');
    const tar = gunzipSync(asset!.bytes);
    // ustar: the first entry's name at offset 0, the magic at 257
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    expect(tar.subarray(0, 100).toString().replace(/\0.*$/s, '')).toBe('train.py');
    const policies = JSON.stringify(Template.fromJSON(skl.template as never).findResources('AWS::IAM::Policy'));
    expect(policies).toContain(asset!.objectKey);
  });
});

describe('Function: jsonHyperparameter', () => {
  it('keeps JSON text and quotes the rest, so the toolkit decodes every value', () => {
    // Assess
    expect(jsonHyperparameter('100')).toBe('100');
    expect(jsonHyperparameter('true')).toBe('true');
    expect(jsonHyperparameter('gini')).toBe('"gini"');
    expect(JSON.parse(jsonHyperparameter('a "quoted" word'))).toBe('a "quoted" word');
  });
});

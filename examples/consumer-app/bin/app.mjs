/**
 * A CDK app of your own with one pitstop pipeline in it: plain JavaScript, no
 * TypeScript or bundler needed (pitstop's Lambdas come bundled in the package).
 *
 *   npm install                 (pitstop, aws-cdk-lib, constructs, the aws-cdk CLI)
 *   npx cdk synth
 *   npx cdk deploy
 *
 * The model may also come from a config file: `(await loadConfig('pitstop.config.json')).models[0]`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { PitstopPipeline } from 'pitstop';

const app = new App();
const stack = new Stack(app, 'ChurnModel', {
  // Leave out env for an environment-agnostic stack, or pin the account and Region:
  // env: { account: '123456789012', region: 'eu-west-1' },
});

const pipeline = new PitstopPipeline(stack, 'Pitstop', {
  // The config's input shape: everything not given takes pitstop's defaults.
  model: {
    name: 'churn',
    endpointName: 'churn-prod',
    problemType: 'binary',
    label: 'churned',
    data: {
      training: 's3://my-ml-data/churn/training/',
      holdout: 's3://my-ml-data/churn/holdout/holdout.csv',
      captureUri: 's3://my-ml-data/churn/capture/',
      groundTruthUri: 's3://my-ml-data/churn/ground-truth/',
    },
    training: { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-training:1.0.0' },
  },
});

// The people who operate the pipeline: start runs, approve or reject a candidate, read status.
// pipeline.grantOperate(myOperatorsRole);
void pipeline;

app.synth();

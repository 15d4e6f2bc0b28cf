/**
 * SageMaker's own containers pitstop can train and serve with, and where each region
 * keeps them. Pure data: the stacks turn it into a CloudFormation mapping resolved at
 * deploy (statemachines/model-containers.ts), so nothing is looked up at synth and the
 * stacks stay environment-agnostic.
 *
 * The registry accounts are SageMaker's "Docker Registry Paths" tables (the per-region
 * pages of the SageMaker Developer Guide), which the SageMaker Python SDK keeps as
 * `image_uri_config/xgboost.json` and `sklearn.json`: the XGBoost framework images
 * from version 0.90-1 on and the scikit-learn images share one registry account per
 * region. A region not in the table fails the deploy (Fn::FindInMap finds no key).
 */

/** Built-in algorithms pitstop runs (`training.algorithm`). */
export const TRAINING_ALGORITHMS = ['xgboost'] as const;
/** A built-in algorithm. */
export type TrainingAlgorithm = (typeof TRAINING_ALGORITHMS)[number];

/** Framework containers pitstop runs in script mode (`training.framework`). */
export const TRAINING_FRAMEWORKS = ['sklearn'] as const;
/** A framework container. */
export type TrainingFramework = (typeof TRAINING_FRAMEWORKS)[number];

/** A SageMaker-owned container kind: a built-in algorithm or a framework. */
export type SageMakerContainer = TrainingAlgorithm | TrainingFramework;

/** Per container: its ECR repository, the versions pitstop accepts, and the image tag of a version. */
export const SAGEMAKER_CONTAINERS: Readonly<
  Record<SageMakerContainer, { readonly repository: string; readonly versions: readonly string[]; readonly tag: (version: string) => string }>
> = {
  // The XGBoost algorithm's framework images (open-source XGBoost in SageMaker's container).
  xgboost: { repository: 'sagemaker-xgboost', versions: ['1.0-1', '1.2-1', '1.2-2', '1.3-1', '1.5-1', '1.7-1'], tag: (v) => v },
  // scikit-learn images are tagged <version>-cpu-py3.
  sklearn: { repository: 'sagemaker-scikit-learn', versions: ['0.23-1', '1.0-1', '1.2-1'], tag: (v) => `${v}-cpu-py3` },
};

/** Region → the account of SageMaker's registry holding the XGBoost and scikit-learn images. */
export const SAGEMAKER_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'ca-west-1': '190319476487',
  'cn-north-1': '450853457545',
  'cn-northwest-1': '451049120500',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-gov-east-1': '237065988967',
  'us-gov-west-1': '414596584902',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

/**
 * The image URI of a container in a region, as SageMaker's tables give it
 * (`<account>.dkr.ecr.<region>.<domain>/<repository>:<tag>`).
 * @throws Error for a region not in the table
 */
export function sageMakerImageUri(container: SageMakerContainer, version: string, region: string, urlSuffix = 'amazonaws.com'): string {
  const account = SAGEMAKER_REGISTRY_ACCOUNTS[region];
  if (!account) throw new Error(`SageMaker's registry table has no region ${JSON.stringify(region)}`);
  const c = SAGEMAKER_CONTAINERS[container];
  return `${account}.dkr.ecr.${region}.${urlSuffix}/${c.repository}:${c.tag(version)}`;
}

/** XGBoost's objective for each problem type: scores pitstop's evaluation reads (P(class 1), one probability per class, a value). */
export const XGBOOST_OBJECTIVES = {
  binary: 'binary:logistic',
  multiclass: 'multi:softprob',
  regression: 'reg:squarederror',
} as const;

/** The hyperparameters a framework container reads to find the user's script (set by pitstop, not by the user). */
export const FRAMEWORK_HYPERPARAMETERS = {
  program: 'sagemaker_program',
  submitDirectory: 'sagemaker_submit_directory',
} as const;

/** The model environment a framework container's inference server reads to find the same script. */
export const FRAMEWORK_ENVIRONMENT = {
  program: 'SAGEMAKER_PROGRAM',
  submitDirectory: 'SAGEMAKER_SUBMIT_DIRECTORY',
} as const;

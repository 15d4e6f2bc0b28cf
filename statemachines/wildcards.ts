/**
 * The wildcard resources pitstop's state machine and SageMaker roles keep, each with
 * the reason AWS allows nothing narrower, and the function that acknowledges them to
 * cdk-nag (AwsSolutions-IAM5) one finding at a time.
 *
 * A wildcard is acknowledged only when a rule below accepts every statement that
 * carries it (its actions, and for `*` its conditions); any other wildcard stays a
 * finding, so a new grant cannot slip through under an old reason.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { suppress } from './nag';

/** One IAM statement as CloudFormation renders it. */
interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A wildcard resource pitstop accepts, and why. */
export interface WildcardRule {
  /** Matches the resource as cdk-nag prints it (e.g. `arn:<AWS::Partition>:s3:::bucket/prefix*`). */
  readonly resource: RegExp;
  /** Whether one statement carrying the resource is acceptable (its actions, its conditions). */
  readonly accepts: (actions: readonly string[], statement: Statement) => boolean;
  /** Why nothing narrower is possible; the actions are appended. */
  readonly reason: string;
}

const lower = (actions: readonly string[]) => actions.map((a) => a.toLowerCase());
const only =
  (...allowed: string[]) =>
  (actions: readonly string[]) =>
    lower(actions).every((a) => lower(allowed).includes(a));

/** Actions IAM offers no resource-level permission for (Step Functions logging and tracing, ECR login). */
const NO_RESOURCE_LEVEL = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'ecr:GetAuthorizationToken',
];

/** The wildcards of pitstop's roles. */
export const PITSTOP_WILDCARDS: readonly WildcardRule[] = [
  {
    resource: /^\*$/,
    accepts: (actions, statement) =>
      lower(actions).every(
        (a) =>
          lower(NO_RESOURCE_LEVEL).includes(a) ||
          (a === 'cloudwatch:putmetricdata' && statement.Condition?.StringEquals?.['cloudwatch:namespace'] !== undefined) ||
          (a === 'cloudwatch:putmetricdata' && statement.Condition?.StringLike?.['cloudwatch:namespace'] !== undefined),
      ),
    reason:
      "IAM has no resource-level permissions for these actions, so '*' is the only resource AWS accepts (Step Functions log delivery and X-Ray tracing, ECR login); cloudwatch:PutMetricData is limited by a cloudwatch:namespace condition",
  },
  {
    resource: /:sagemaker:.*:endpoint-config\/\*$/,
    accepts: only('sagemaker:UpdateEndpoint', 'sagemaker:DescribeEndpointConfig'),
    reason:
      'The endpoint config the endpoint runs before a canary (read to copy its production variant, restored on rollback) may predate pitstop and have any name',
  },
  {
    resource: /:sagemaker:.*:(training-job|transform-job|model|endpoint-config)\/pitstop-[a-z0-9-]+-\*$/,
    accepts: (actions) => actions.every((a) => a.toLowerCase().startsWith('sagemaker:')),
    reason: "Each run names its jobs, models and endpoint configs pitstop-<model>-<run id>-...; the run id is only known at run time, so the policy names this model's prefix",
  },
  {
    resource: /:sagemaker:.*:(training-job|hyper-parameter-tuning-job)\/pt-\*$/,
    accepts: (actions) => actions.every((a) => a.toLowerCase().startsWith('sagemaker:')),
    reason:
      'Tuning job names are at most 32 characters, too short for pitstop-<model>; tuning jobs are named pt-<run id> and the tuner names its training jobs pt-<run id>-NNN-<hash>',
  },
  {
    resource: /:sagemaker:.*:model-package\/pitstop-[a-z0-9-]+\/\*$/,
    accepts: only('sagemaker:CreateModelPackage', 'sagemaker:UpdateModelPackage'),
    reason: "Model package versions are numbered by the registry inside this model's group pitstop-<model>",
  },
  {
    resource: /:states:.*:execution:.+\*$/,
    accepts: only('states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'),
    reason:
      "startExecution.sync watches and stops the child executions of the Canary and Rollback state machines, and the Monitor's Distributed Map watches, stops and redrives its own child executions (label Shards); Step Functions generates their names",
  },
  {
    resource: /:s3:::[^/]+\/.*\*$|^<[^>]+\.Arn>\/.*\*$/,
    accepts: (actions) => actions.every((a) => a.toLowerCase().startsWith('s3:')),
    reason: "Objects under this model's data prefixes (training data and holdout read, data capture written) and its artifact prefixes models/<model>/ and transforms/<model>/ (the transform input read under transforms/<model>/<run>/input/), and with a dataset datasets/<model>/ (the training channel read under datasets/<model>/<run>/train/); the keys below them are chosen per run by SageMaker or by the data's owner",
  },
  {
    resource: /:logs:.*:log-group:\/aws\/sagemaker\/[^:]+:log-stream:.*\*$/,
    accepts: only('logs:CreateLogStream', 'logs:PutLogEvents'),
    reason: "SageMaker names log streams at run time after the job (or the endpoint variant and instance); the log groups are named exactly",
  },
];

/** A CloudFormation value flattened the way cdk-nag prints it in finding ids. */
export function flattenForNag(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenForNag).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenForNag(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenForNag(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenForNag(node.Ref)}>`;
  return JSON.stringify(value);
}

/** The wildcard resources of a policy, each with the actions granted on it and the rule that accepts them (if any). */
export function wildcardsOf(
  policy: iam.Policy,
  rules: readonly WildcardRule[] = PITSTOP_WILDCARDS,
): Array<{ resource: string; actions: string[]; rule?: WildcardRule }> {
  const document = Stack.of(policy).resolve(policy.document) as { Statement?: Statement[] } | undefined;
  const byResource = new Map<string, { actions: Set<string>; statements: Statement[] }>();
  for (const statement of document?.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    const resources = [statement.Resource ?? []].flat();
    for (const resource of resources.map(flattenForNag).filter((r) => r.includes('*'))) {
      const entry = byResource.get(resource) ?? { actions: new Set<string>(), statements: [] };
      for (const action of [statement.Action ?? []].flat()) entry.actions.add(action);
      entry.statements.push(statement);
      byResource.set(resource, entry);
    }
  }
  return [...byResource].map(([resource, { actions, statements }]) => ({
    resource,
    actions: [...actions],
    rule: rules.find(
      (r) => r.resource.test(resource) && statements.every((s) => r.accepts([s.Action ?? []].flat(), s)),
    ),
  }));
}

/**
 * Acknowledges (AwsSolutions-IAM5, one finding per resource) each wildcard resource
 * of the role's default policy that a rule accepts; the reason names the rule's why
 * and the actions. Call it once every grant is in (at the end of the constructor):
 * later grants are not acknowledged.
 *
 * @returns the wildcards no rule accepted (left as findings)
 */
export function acknowledgeWildcards(role: iam.IRole, rules: readonly WildcardRule[] = PITSTOP_WILDCARDS): string[] {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) return [];
  return acknowledgePolicyWildcards(policy, rules);
}

/** As {@link acknowledgeWildcards}, for one policy (e.g. the `DistributedMapPolicy` CDK attaches to a state machine with a Distributed Map). */
export function acknowledgePolicyWildcards(policy: iam.Policy, rules: readonly WildcardRule[] = PITSTOP_WILDCARDS): string[] {
  const unaccepted: string[] = [];
  for (const { resource, actions, rule } of wildcardsOf(policy, rules)) {
    if (!rule) {
      unaccepted.push(resource);
      continue;
    }
    suppress(policy as IConstruct, `AwsSolutions-IAM5[Resource::${resource}]`, `${rule.reason}. Actions: ${actions.sort().join(', ')}.`);
  }
  return unaccepted;
}

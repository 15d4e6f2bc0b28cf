/**
 * Puts a Lambda into given subnets and security groups, by id, without looking the
 * VPC up.
 *
 * CDK's `Function` takes a VPC as an `IVpc`, which means a lookup (network at synth)
 * or `Vpc.fromVpcAttributes` (the VPC id and its Availability Zones, which the
 * config does not hold), and it attaches the AWS managed policy
 * AWSLambdaVPCAccessExecutionRole (`Resource: *` for every action). This helper is the
 * one workaround: it sets `VpcConfig` on the `AWS::Lambda::Function` and grants the
 * network-interface actions Lambda performs with the function's role, scoped to the
 * given subnets and security groups where EC2 allows it.
 *
 * Lambda creates the function's network interfaces with the execution role when the
 * function is created or updated, so the function depends on the role's policy.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NetworkConfig } from '../../vocabulary/config/index';
import { suppressAll } from '../../statemachines/nag';

/** The actions Lambda needs on the execution role to manage a VPC function's network interfaces. */
export const LAMBDA_VPC_ACTIONS = {
  /** Describe actions: EC2 supports no resource-level permission for them. */
  describe: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
  /** Checked on the subnet, the security groups and the new interface. */
  create: ['ec2:CreateNetworkInterface'],
  /** Checked on the interface only. */
  manage: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
} as const;

/**
 * Places `fn` in the subnets and security groups of `network`.
 *
 * @throws Error when the function has no role of its own (an imported role cannot be granted here)
 */
export function placeInNetwork(fn: lambda.Function, network: NetworkConfig): void {
  const role = fn.role;
  if (!role || !(role instanceof iam.Role)) {
    throw new Error(`expected a function with a role this app manages (${fn.node.path}), got ${role ? 'an imported role' : 'no role'}`);
  }
  const stack = Stack.of(fn);
  const ec2Arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'ec2', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const interfaces = ec2Arn('network-interface', '*');
  const sharedEc2Arn = (resource: string, id: string) =>
    stack.formatArn({ service: 'ec2', resource, resourceName: id, account: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

  const statements = [
    new iam.PolicyStatement({
      actions: [...LAMBDA_VPC_ACTIONS.describe],
      // EC2 Describe* actions support no resource-level permissions: AWS requires "*".
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      actions: [...LAMBDA_VPC_ACTIONS.create],
      resources: [
        // Any account: subnets shared from a network account (common in Control Tower
        // landing zones) carry the owner's account in their ARN; the ids are unique.
        ...network.subnetIds.map((id) => sharedEc2Arn('subnet', id)),
        ...network.securityGroupIds.map((id) => sharedEc2Arn('security-group', id)),
        // The interface does not exist yet: its id is unknown until it is created.
        interfaces,
      ],
    }),
    new iam.PolicyStatement({
      actions: [...LAMBDA_VPC_ACTIONS.manage],
      // Lambda names no interface in advance; the Lambda guide asks for all interface ids here.
      resources: [interfaces],
    }),
  ];
  for (const statement of statements) role.addToPrincipalPolicy(statement);

  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  cfn.vpcConfig = { subnetIds: [...network.subnetIds], securityGroupIds: [...network.securityGroupIds] };
  // The role's policy (with the statements above) must exist before Lambda creates the
  // interfaces. On the function resource alone: the role may be a child of the function.
  cfn.node.addDependency(role);

  suppressAll(
    role,
    [
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]`,
    ],
    'Lambda manages the network interfaces of a VPC function with its role: ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level permission, and the interfaces Lambda creates and deletes have ids unknown before they exist (create is also scoped to the configured subnets and security groups).',
  );
  suppressAll(
    role,
    [
      ...network.subnetIds.map((id) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:*:subnet/${id}]`),
      ...network.securityGroupIds.map((id) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:*:security-group/${id}]`),
    ],
    'The configured subnets and security groups by their unique ids, in any account: a VPC shared from a network account (usual in Control Tower landing zones) puts the owner account in their ARNs.',
  );
}

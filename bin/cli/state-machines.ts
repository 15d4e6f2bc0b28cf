/**
 * Finding a model's deployed state machines for the operations commands
 * (trigger, status, history, approve, reject, rollback), with @aws-sdk/client-sfn.
 *
 * Each state machine is named `pitstop-<model>-<kind>` (kind: monitor, retrain,
 * canary, rollback; the model qualified by its stage, `pitstop-<stage>-<model>-<kind>`),
 * so the CLI needs only the model name (and `--stage`), or the stack's name (`--stack`,
 * whose outputs hold the ARNs), and the credentials and region of `--profile` /
 * `--region` or the AWS SDK's usual chain (AWS_PROFILE, AWS_REGION, ...).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { qualifiedModelName, stageProblem } from '../../vocabulary/stages';
import { InputError } from '../../vocabulary/errors';
import { resourceName, STACK_OUTPUT_KEYS } from '../../vocabulary/pipeline-names';
import { awsSettings, type AwsClientSettings } from './aws';
import type { ParsedValues } from './command';
import { optString, reqString } from './options';

export const MACHINE_KINDS = ['monitor', 'retrain', 'canary', 'rollback'] as const;
export type MachineKind = (typeof MACHINE_KINDS)[number];

/** The deployed name of a model's state machine. */
export function stateMachineName(model: string, kind: MachineKind): string {
  return resourceName(model, kind);
}

let clientFactory: (settings: AwsClientSettings) => SFNClient = (settings) => new SFNClient(settings);
/** Replaces how the commands make their client (tests inject one; the default uses the SDK's credential chain). */
export function setSfnClientFactory(factory: (settings: AwsClientSettings) => SFNClient): void {
  clientFactory = factory;
}
/** A Step Functions client for `--region` / `--profile` (else the SDK's usual chain). */
export function sfnClient(values: ParsedValues): SFNClient {
  return clientFactory(awsSettings(values));
}

/** The model as deployed: `--model` qualified by `--stage`, or the `--stack` name when only that is given. */
export function modelName(values: ParsedValues): string {
  const stack = optString(values, 'stack');
  const raw = stack !== undefined && values.model === undefined ? undefined : reqString(values, 'model');
  if (raw === undefined) return stack!;
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(raw)) throw new InputError(`--model expects a pitstop model name (lowercase letters, digits, dashes), got "${raw}"`);
  const stage = optString(values, 'stage');
  const problem = stage === undefined ? undefined : stageProblem(stage);
  if (problem) throw new InputError(`--stage: ${problem}`);
  return qualifiedModelName(raw, stage);
}

/**
 * The ARN of a deployed model's state machine: from the outputs of `--stack`, else by its
 * name `pitstop-<model>-<kind>` (the model qualified by `--stage`) with ListStateMachines.
 * @throws InputError when it is not deployed (or the stack has no such output)
 */
export async function findStateMachine(client: SFNClient, values: ParsedValues, kind: MachineKind): Promise<string> {
  const stack = optString(values, 'stack');
  if (stack !== undefined) return stackOutput(values, stack, STACK_OUTPUT_KEYS[kind]);
  const model = modelName(values);
  const name = stateMachineName(model, kind);
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachinesCommand({ nextToken }));
    const hit = page.stateMachines?.find((m) => m.name === name);
    if (hit?.stateMachineArn) return hit.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new InputError(
    `no state machine named ${name} in this account and region: is model "${model}" deployed here (check --stage, --region / --profile, or AWS_REGION / AWS_PROFILE)?`,
  );
}

/** One output of a CloudFormation stack, read with DescribeStacks. */
async function stackOutput(values: ParsedValues, stack: string, key: string): Promise<string> {
  const client = new CloudFormationClient(awsSettings(values));
  let stacks;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: stack })));
  } catch (err) {
    // CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist"
    if ((err as { name?: string }).name === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      throw new InputError(`no stack named ${stack} in this account and region (check --stack, --region / --profile)`, {}, { cause: err });
    }
    throw err;
  }
  const output = stacks?.[0]?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  if (!output) throw new InputError(`stack ${stack} has no output ${key}: is it a pitstop stack (PitstopStack)?`);
  return output;
}

/**
 * Finding a model's deployed state machines for the operations commands
 * (trigger, status, history, approve, reject, rollback), with @aws-sdk/client-sfn.
 *
 * Each state machine is named `pitstop-<model>-<kind>` (kind: monitor, retrain,
 * canary, rollback), so the CLI needs only the model name and the credentials and
 * region of the AWS SDK's usual chain (AWS_PROFILE, AWS_REGION, ...).
 */
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { InputError } from '../../vocabulary/errors';
import { resourceName } from '../../vocabulary/pipeline-names';
import type { ParsedValues } from './command';
import { reqString } from './options';

export const MACHINE_KINDS = ['monitor', 'retrain', 'canary', 'rollback'] as const;
export type MachineKind = (typeof MACHINE_KINDS)[number];

/** The deployed name of a model's state machine. */
export function stateMachineName(model: string, kind: MachineKind): string {
  return resourceName(model, kind);
}

let clientFactory: () => SFNClient = () => new SFNClient({});
/** Replaces how the commands make their client (tests inject one; the default uses the SDK's credential chain). */
export function setSfnClientFactory(factory: () => SFNClient): void {
  clientFactory = factory;
}
export function sfnClient(): SFNClient {
  return clientFactory();
}

/** The ARN of `pitstop-<model>-<kind>`, found with ListStateMachines; InputError when it is not deployed. */
export async function findStateMachine(client: SFNClient, model: string, kind: MachineKind): Promise<string> {
  const name = stateMachineName(model, kind);
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachinesCommand({ nextToken }));
    const hit = page.stateMachines?.find((m) => m.name === name);
    if (hit?.stateMachineArn) return hit.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new InputError(`no state machine named ${name} in this account and region: is model "${model}" deployed here (check AWS_REGION / AWS_PROFILE)?`);
}

/** `--model NAME`, required by every operations command. */
export function modelName(values: ParsedValues): string {
  const name = reqString(values, 'model');
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(name)) throw new InputError(`--model expects a pitstop model name (lowercase letters, digits, dashes), got "${name}"`);
  return name;
}

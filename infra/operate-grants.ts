/**
 * What the people (or roles) who operate a pipeline may do: start its state machines,
 * answer the manual approval, and read executions, exactly what the `pitstop trigger`,
 * `status`, `history`, `approve`, `reject` and `rollback` commands call.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Stack } from 'aws-cdk-lib';

/** The state machines an operator acts on (any may be absent). */
export interface OperatedStateMachines {
  readonly monitor?: sfn.IStateMachine;
  readonly retrain?: sfn.IStateMachine;
  readonly canary?: sfn.IStateMachine;
  readonly rollback?: sfn.IStateMachine;
}

/**
 * Grants `grantee`: StartExecution on the monitor, retrain and rollback state machines
 * (the canary is started by the retrain); SendTaskSuccess / SendTaskFailure (approve,
 * reject); DescribeStateMachine, ListExecutions, DescribeExecution and
 * GetExecutionHistory on all four; ListStateMachines (finding them by name: Step
 * Functions offers no resource-level permission for it); DescribeStacks on the stack
 * (finding them from its outputs).
 */
export function grantOperate(grantee: iam.IGrantable, machines: OperatedStateMachines, stack: Stack): iam.Grant {
  const all = [machines.monitor, machines.retrain, machines.canary, machines.rollback].filter((m): m is sfn.IStateMachine => m !== undefined);
  for (const machine of [machines.monitor, machines.retrain, machines.rollback]) machine?.grantStartExecution(grantee);
  for (const machine of all) {
    machine.grant(grantee, 'states:DescribeStateMachine', 'states:ListExecutions');
    machine.grantExecution(grantee, 'states:DescribeExecution', 'states:GetExecutionHistory');
    machine.grantTaskResponse(grantee);
  }
  iam.Grant.addToPrincipal({ grantee, actions: ['states:ListStateMachines'], resourceArns: ['*'] });
  return iam.Grant.addToPrincipal({ grantee, actions: ['cloudformation:DescribeStacks'], resourceArns: [stack.stackId] });
}

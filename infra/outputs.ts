/**
 * The stack outputs of a pipeline: the ARN of each of its state machines, under the keys
 * the CLI reads with DescribeStacks for `--stack NAME` (vocabulary/pipeline-names.ts).
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { STACK_OUTPUT_KEYS } from '../vocabulary/pipeline-names';

/**
 * Adds an output per state machine to the stack holding `scope`, as a direct child of
 * the stack so that its logical ID (the output key) is exactly the key the CLI looks for.
 * @throws Error when the stack already holds those outputs (a second pipeline in one stack)
 */
export function addStateMachineOutputs(scope: Construct, modelName: string, machines: Partial<Record<keyof typeof STACK_OUTPUT_KEYS, sfn.IStateMachine>>): void {
  const stack = Stack.of(scope);
  for (const kind of ['monitor', 'retrain', 'canary', 'rollback'] as const) {
    const machine = machines[kind];
    if (!machine) continue;
    const key = STACK_OUTPUT_KEYS[kind];
    if (stack.node.tryFindChild(key)) {
      throw new Error(`pitstop ${modelName}: stack ${stack.node.id} already has the output ${key} of another pipeline; give all but one pipeline of a stack \`outputs: false\` (the CLI then finds those by --stage and --model)`);
    }
    new CfnOutput(stack, key, {
      value: machine.stateMachineArn,
      description: `ARN of the ${kind} state machine of ${modelName}`,
    });
  }
}

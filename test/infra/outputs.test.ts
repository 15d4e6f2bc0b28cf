import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PitstopPipeline } from '../../infra/pipeline';
import { STACK_OUTPUT_KEYS } from '../../vocabulary/pipeline-names';
import { model, standInStateMachines } from './fixtures';

type Outputs = Record<string, { Value: { Ref: string }; Description: string }>;

describe('Function: addStateMachineOutputs (through PitstopPipeline in a stack of the user\'s own)', () => {
  it('outputs each state machine\'s ARN under the key the CLI reads, with no stack of pitstop\'s', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'ChurnModel');
    const machines = standInStateMachines(stack);
    // Act
    new PitstopPipeline(stack, 'Pitstop', { model: model(), stateMachines: machines });
    // Assess: each output is a Ref to the state machine of its kind
    const outputs = Template.fromStack(stack).toJSON().Outputs as Outputs;
    expect(Object.keys(outputs).sort()).toEqual(Object.values(STACK_OUTPUT_KEYS).sort());
    for (const [kind, key] of Object.entries(STACK_OUTPUT_KEYS)) {
      const machine = machines[kind as keyof typeof machines];
      expect(outputs[key]!.Value.Ref, key).toBe(stack.getLogicalId(machine.node.defaultChild as never));
    }
  });

  it('adds none with outputs: false, and refuses a second pipeline\'s outputs in one stack with the fix', () => {
    // Prepare
    const app = new App();
    const quiet = new Stack(app, 'Quiet');
    const shared = new Stack(app, 'Shared');
    new PitstopPipeline(shared, 'First', { model: model(), stateMachines: standInStateMachines(shared) });
    const second = new Stack(app, 'Second');
    // Act
    new PitstopPipeline(quiet, 'Pitstop', { model: model(), stateMachines: standInStateMachines(quiet), outputs: false });
    // Assess
    expect(Template.fromStack(quiet).toJSON().Outputs).toBeUndefined();
    expect(() => new PitstopPipeline(shared, 'Again', { model: model({ name: 'other' }), stateMachines: standInStateMachines(second) })).toThrow(/already has the output MonitorStateMachineArn.*outputs: false/);
  });
});

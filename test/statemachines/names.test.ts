import { beforeAll, describe, expect, it } from 'vitest';
import { stateMachineName as cliStateMachineName } from '../../bin/cli/state-machines';
import { resolveExpression } from '../../local/asl';
import { STATE_MACHINE_KINDS, stateMachineName } from '../../statemachines';
import { modelConfig, synthesize, type Synthesized } from './fixtures';

let churn: Synthesized;
let fraud: Synthesized;
beforeAll(() => {
  churn = synthesize();
  fraud = synthesize(modelConfig({ name: 'fraud-v2', endpointName: 'fraud-v2-endpoint' }));
});

/** The template's logical id of a state machine construct. */
const logicalId = (synth: Synthesized, kind: (typeof STATE_MACHINE_KINDS)[number]) =>
  synth.stack.getLogicalId(synth.machines[kind].node.defaultChild as never);

/** The StateMachineName of each state machine, by kind. */
function names(synth: Synthesized): Record<string, unknown> {
  const resources = synth.template.findResources('AWS::StepFunctions::StateMachine');
  return Object.fromEntries(STATE_MACHINE_KINDS.map((kind) => [kind, resources[logicalId(synth, kind)]?.Properties.StateMachineName]));
}

describe('Class: PitstopStateMachines (names)', () => {
  it('names every state machine pitstop-<model>-<kind>', () => {
    expect(names(churn)).toEqual({
      monitor: 'pitstop-churn-monitor',
      retrain: 'pitstop-churn-retrain',
      canary: 'pitstop-churn-canary',
      rollback: 'pitstop-churn-rollback',
    });
    expect(names(fraud)).toEqual({
      monitor: 'pitstop-fraud-v2-monitor',
      retrain: 'pitstop-fraud-v2-retrain',
      canary: 'pitstop-fraud-v2-canary',
      rollback: 'pitstop-fraud-v2-rollback',
    });
  });

  it('gives the names the CLI looks the state machines up by', () => {
    for (const kind of STATE_MACHINE_KINDS) {
      expect(stateMachineName('churn', kind)).toBe(cliStateMachineName('churn', kind));
      expect(names(churn)[kind]).toBe(cliStateMachineName('churn', kind));
    }
  });

  it("starts its own model's Canary and Rollback, and may start and watch those only", () => {
    // Prepare
    const json = churn.json;
    const canaryId = logicalId(churn, 'canary');
    const rollbackId = logicalId(churn, 'rollback');
    const states = (churn.definitions.retrain as { States: Record<string, { Resource?: string; Parameters?: Record<string, unknown> }> }).States;

    // Assess: the tasks reference the named machines of this stack
    expect(states['Run canary']!.Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(states['Run canary']!.Parameters!.StateMachineArn).toBe(resolveExpression({ Ref: canaryId }, json));
    expect(states['Roll back endpoint']!.Parameters!.StateMachineArn).toBe(resolveExpression({ Ref: rollbackId }, json));
    expect(json.Resources[canaryId]!.Properties!.StateMachineName).toBe('pitstop-churn-canary');
    expect(json.Resources[rollbackId]!.Properties!.StateMachineName).toBe('pitstop-churn-rollback');

    // Assess: states:StartExecution on exactly those two ARNs, execution actions scoped to their executions
    const retrainRole = json.Resources[logicalId(churn, 'retrain')]!.Properties!.RoleArn as { 'Fn::GetAtt': [string, string] };
    const statements = Object.values(json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(retrainRole['Fn::GetAtt'][0]))
      .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement);
    const on = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).map((s) => s.Resource);
    expect(on('states:StartExecution')).toEqual([{ Ref: canaryId }, { Ref: rollbackId }]);
    const executions = on('states:DescribeExecution').map((r) => resolveExpression(r, json));
    expect(executions).toHaveLength(2);
    for (const arn of executions) expect(arn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:[^*]+\*$/);
  });
});

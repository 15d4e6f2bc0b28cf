import { beforeAll, describe, expect, it } from 'vitest';
import { resolveStateMachines } from '../../local/asl';
import { modelConfig, synthesize, type Synthesized } from './fixtures';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(modelConfig({ approval: { mode: 'manual', timeoutHours: 4 } }));
});

/** Every SNS publish state of every state machine, nested ones included. */
function snsStates(): { name: string; params: Record<string, unknown> }[] {
  const found: { name: string; params: Record<string, unknown> }[] = [];
  const walk = (definition: any) => {
    for (const [name, state] of Object.entries<any>(definition.States ?? {})) {
      if (state.Type === 'Task' && String(state.Resource).includes(':sns:publish')) found.push({ name, params: state.Parameters });
      for (const branch of state.Branches ?? []) walk(branch);
      if (state.Iterator) walk(state.Iterator);
      if (state.ItemProcessor) walk(state.ItemProcessor);
    }
  };
  for (const machine of resolveStateMachines(synth.template.toJSON() as never)) walk(machine.definition);
  return found;
}

describe('Function: notify (SNS subjects)', () => {
  it('evaluates every intrinsic subject (Subject.$), and no plain subject holds an unevaluated intrinsic', () => {
    const states = snsStates();
    expect(states.length).toBeGreaterThan(3);
    for (const { name, params } of states) {
      const plain = params.Subject;
      const evaluated = params['Subject.$'];
      expect(plain === undefined || !String(plain).includes('States.'), `${name}: ${String(plain)}`).toBe(true);
      if (evaluated !== undefined) expect(String(evaluated), name).toMatch(/^States\.Format\(/);
    }
    expect(states.some((s) => s.params['Subject.$'] !== undefined)).toBe(true);
  });
});

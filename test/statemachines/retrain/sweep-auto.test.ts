/**
 * The Retrain with automatic approval (the base graph): every shared path, and what
 * the run did after (test/statemachines/retrain/sweep-world.ts).
 */
import { beforeAll, describe, it } from 'vitest';
import { synthesize, type Synthesized } from '../fixtures';
import { assessScenario, runScenario, sharedScenarios } from './sweep-world';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

describe('State machine: Retrain with automatic approval, every path', () => {
  it.each(sharedScenarios({ trainingJob: 'Train candidate' }).map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    // Act
    const result = await runScenario(synth.definitions.retrain, scenario, {});

    // Assess
    assessScenario(result, scenario.expected);
  });
});

/**
 * The Retrain with manual approval: every shared path (the approval answered yes),
 * then every way the approval ends, and what the run did after.
 */
import { beforeAll, describe, it } from 'vitest';
import { modelConfig, synthesize, type Synthesized } from '../fixtures';
import type { Handler } from '../harness';
import { CAUSE, VARIANT_STATES, assessScenario, runScenario, sharedScenarios, throws, type Scenario } from './sweep-world';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(modelConfig({ approval: { mode: 'manual', timeoutHours: 2 } }));
});

const answer =
  (approved: boolean): Handler =>
  () => ({ approved });
const never: Handler = () => new Promise(() => undefined);
const timeout = { 'Ask for approval': 0.05 };

const APPROVAL: Scenario[] = [
  {
    name: 'the approver answers no: ApprovalRejected, the package marked rejected',
    states: { 'Ask for approval': answer(false) },
    expected: { error: 'ApprovalRejected', edges: ['Ask for approval#next', 'Approved?#default', 'Mark package rejected#next', 'Approval rejected#next', 'ApprovalRejected#fail'], endpoint: 'old' },
  },
  {
    name: 'the approver sends ApprovalRejected: ApprovalRejected',
    states: { 'Ask for approval': throws('ApprovalRejected', 'not this one') },
    expected: { error: 'ApprovalRejected', edges: ['Ask for approval#catch:1', 'Mark package rejected#next', 'ApprovalRejected#fail'], endpoint: 'old' },
  },
  {
    name: 'nobody answers in time: ApprovalTimedOut, the package marked rejected',
    states: { 'Ask for approval': never },
    taskTimeouts: timeout,
    expected: { error: 'ApprovalTimedOut', edges: ['Ask for approval#catch:2', 'Mark package expired#next', 'Approval timed out#next', 'ApprovalTimedOut#fail'], endpoint: 'old' },
  },
  {
    name: 'the approval request throws: PipelineFailed through Unexpected error',
    states: { 'Ask for approval': throws() },
    expected: { error: 'PipelineFailed', edges: ['Ask for approval#catch:3', 'Unexpected error#next'], endpoint: 'old', mailed: CAUSE },
  },
  {
    name: 'the approved package cannot be marked: PipelineFailed, nothing deployed',
    states: { 'Mark package approved': throws() },
    expected: { error: 'PipelineFailed', edges: ['Mark package approved#catch:1', 'Unexpected error#next'], endpoint: 'old', mailed: CAUSE },
  },
  {
    name: 'the rejected package cannot be marked: still ApprovalRejected',
    states: { 'Ask for approval': answer(false), 'Mark package rejected': throws() },
    expected: { error: 'ApprovalRejected', edges: ['Mark package rejected#catch:1', 'ApprovalRejected#fail'], endpoint: 'old' },
  },
  {
    name: 'the expired package cannot be marked: still ApprovalTimedOut',
    states: { 'Ask for approval': never, 'Mark package expired': throws() },
    taskTimeouts: timeout,
    expected: { error: 'ApprovalTimedOut', edges: ['Mark package expired#catch:1', 'ApprovalTimedOut#fail'], endpoint: 'old' },
  },
];

describe('State machine: Retrain with manual approval, every path', () => {
  it.each([...sharedScenarios({ trainingJob: 'Train candidate' }), ...APPROVAL].map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    // Act
    const result = await runScenario(synth.definitions.retrain, scenario, VARIANT_STATES.manual);

    // Assess
    assessScenario(result, scenario.expected);
  });
});

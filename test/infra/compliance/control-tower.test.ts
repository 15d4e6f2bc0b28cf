import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acknowledgeControl,
  applicableRuleFiles,
  applyControlTowerChecks,
  ControlTowerChecks,
  CONTROL_TOWER_RULES_DIR,
  controlIdOf,
  controlTowerRules,
  findingsByControl,
  MIN_CONTROL_REASON_LENGTH,
} from '../../../infra/compliance/control-tower';
import { PitstopStack, stackNameFor } from '../../../infra/stack';
import { model } from '../fixtures';

const work = mkdtempSync(join(tmpdir(), 'pitstop-ct-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a template to a file and runs the checks on it. */
function check(template: unknown, name: string, checks = new ControlTowerChecks()) {
  const path = join(work, `${name}.template.json`);
  writeFileSync(path, JSON.stringify(template));
  return checks.validate({ templatePaths: [path], appConstruct: new App() });
}

/** A queue that is neither given a dead-letter queue nor declared as one: CT.SQS.PR.1 fails. */
const QUEUE_WITHOUT_DLQ = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } } },
};

describe('Function: controlTowerRules', () => {
  it('reads every rule the validator ships, each with its rule name, control id and resource types', () => {
    const rules = controlTowerRules();
    const onDisk = readdirSync(CONTROL_TOWER_RULES_DIR, { recursive: true }).filter((f) => String(f).endsWith('.guard'));
    expect(rules.length).toBe(onDisk.length);
    expect(rules.length).toBeGreaterThan(200);
    expect(new Set(rules.map((r) => r.ruleName)).size).toBe(rules.length);
    expect(rules.every((r) => /^CT\.[A-Z0-9-]+\.PR\.\d+$/.test(r.controlId))).toBe(true);
    expect(rules.find((r) => r.ruleName === 'sqs_dlq_check')).toMatchObject({ controlId: 'CT.SQS.PR.1', resourceTypes: ['AWS::SQS::Queue'] });
  });

  it('maps a rule name to its control id, and an unknown name to undefined', () => {
    expect(controlIdOf('lambda_inside_vpc_check')).toBe('CT.LAMBDA.PR.3');
    expect(controlIdOf('no_such_check')).toBeUndefined();
  });
});

describe('Class: ControlTowerChecks', () => {
  it('reports a failing control by control id and resource, so a clean result means something', () => {
    // Act
    const report = check(QUEUE_WITHOUT_DLQ, 'queue');
    // Assess
    expect(report.success).toBe(false);
    expect(findingsByControl(report.violations)).toEqual([{ ruleName: 'sqs_dlq_check', controlId: 'CT.SQS.PR.1', resources: ['Queue'] }]);
    expect(report.violations[0]!.description).toMatch(/^\[CT\.SQS\.PR\.1\]/);
  });

  it('passes a queue declared as a dead-letter queue', () => {
    const template = structuredClone(QUEUE_WITHOUT_DLQ) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    template.Resources.Queue.Properties.RedriveAllowPolicy = { redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:us-east-1:123456789012:q'] };
    expect(check(template, 'dlq')).toEqual({ success: true, violations: [] });
  });

  it('gives cfn-guard only the rules naming a resource type of the template', () => {
    const path = join(work, 'only-queue.template.json');
    writeFileSync(path, JSON.stringify(QUEUE_WITHOUT_DLQ));
    const files = applicableRuleFiles([path]);
    const rules = controlTowerRules().filter((r) => files.includes(r.file));
    expect(rules.map((r) => r.ruleName)).toContain('sqs_dlq_check');
    expect(rules.every((r) => r.resourceTypes.length === 0 || r.resourceTypes.includes('AWS::SQS::Queue'))).toBe(true);
    expect(rules.length).toBeLessThan(10);
  });

  it(
    'reports on the pipeline stack exactly what the full rule set reports',
    () => {
      // Prepare: the standard-mode stack of a one-feature model (85 resources), which
      // fails several controls. (A template cut down to one resource per type would
      // be faster, but its broken references trip the validator's result parser.)
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const m = model({ features: [{ name: 'age', type: 'numeric' }] });
      const stack = new PitstopStack(app, stackNameFor(m), { model: m });
      const template = app.synth().getStackByName(stack.stackName).template;
      // Act
      const filtered = findingsByControl(check(template, 'filtered').violations);
      const full = findingsByControl(check(template, 'full', new ControlTowerChecks({ allRules: true })).violations);
      // Assess
      expect(filtered.length).toBeGreaterThan(0);
      expect(filtered).toEqual(full);
    },
    240_000,
  );
});

describe('Function: applyControlTowerChecks', () => {
  const queueStack = (app: App) => {
    const stack = new Stack(app, 'Test');
    return new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
  };

  it('fails the synth on an unacknowledged finding, naming the rule', () => {
    const app = new App();
    queueStack(app);
    applyControlTowerChecks(app);
    expect(() => app.synth()).toThrow(/sqs_dlq_check/);
  });

  it('lets the synth pass once the finding is acknowledged on the resource', () => {
    const app = new App();
    acknowledgeControl(queueStack(app), 'sqs_dlq_check', 'Test queue standing in for a deliberately non-compliant resource.');
    applyControlTowerChecks(app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('Function: acknowledgeControl', () => {
  const queue = () => new sqs.Queue(new Stack(new App(), 'Test'), 'Queue');

  it('requires a Control Tower rule name', () => {
    expect(() => acknowledgeControl(queue(), 'CT.SQS.PR.1', 'A reason long enough to be accepted here.')).toThrow(
      'expected a Control Tower guard rule name like "sqs_dlq_check", got "CT.SQS.PR.1"',
    );
  });

  it('requires a specific reason', () => {
    expect(() => acknowledgeControl(queue(), 'sqs_dlq_check', 'not needed')).toThrow(
      `expected a reason of at least ${MIN_CONTROL_REASON_LENGTH} characters saying why CT.SQS.PR.1 (sqs_dlq_check) is acceptable on Test/Queue, got "not needed"`,
    );
  });
});

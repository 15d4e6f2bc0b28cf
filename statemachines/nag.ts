/**
 * cdk-nag wiring: the AwsSolutions checks and the one way pitstop acknowledges a finding.
 *
 * cdk-nag 3 runs as a CDK policy-validation plugin: a finding that is not acknowledged
 * fails `cdk synth` and is listed in the cloud assembly's validation report. Findings
 * are acknowledged with CDK's `Validations.of(construct).acknowledge()`, which applies
 * to the construct and everything under it; a rule that reports several findings per
 * resource (IAM5) is acknowledged finding by finding (`AwsSolutions-IAM5[Resource::...]`).
 */
import { Validations } from 'aws-cdk-lib';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Options of {@link applyNag}. */
export interface ApplyNagOptions {
  /**
   * Print each rule's explanation with its finding.
   * @default true
   */
  readonly verbose?: boolean;
}

/**
 * Runs cdk-nag's AwsSolutions checks on every stack of `app` at synth; an unacknowledged
 * finding fails the synth.
 *
 * @param app the App (or Stage) to check
 */
export function applyNag(app: IConstruct, options: ApplyNagOptions = {}): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: options.verbose ?? true }));
}

/**
 * Runs the AwsSolutions checks on `scope` now, without synthesizing, and returns the
 * report (for tests and for tools that print findings).
 */
export function checkNag(scope: IConstruct): PolicyValidationPluginReport {
  return new AwsSolutionsChecks(scope).validateScope(scope);
}

/** Shortest reason accepted, so a suppression always says why. */
export const MIN_REASON_LENGTH = 20;

/**
 * Acknowledges one cdk-nag finding on a construct and everything under it.
 *
 * @param construct where the finding applies
 * @param ruleId the rule, e.g. `AwsSolutions-S1`, or one finding of a rule, e.g.
 *   `AwsSolutions-IAM5[Action::kms:GenerateDataKey*]`
 * @param reason why the finding is acceptable here, specific to this construct
 * @throws Error when the rule id is not an AwsSolutions id or the reason is too short
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  if (!/^AwsSolutions-[A-Za-z]+\d+(\[.+\])?$/.test(ruleId)) {
    throw new Error(`expected a rule id like "AwsSolutions-S1" or "AwsSolutions-IAM5[Resource::*]", got "${ruleId}"`);
  }
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `expected a reason of at least ${MIN_REASON_LENGTH} characters saying why ${ruleId} is acceptable on ${construct.node.path}, got "${reason}"`,
    );
  }
  Validations.of(construct).acknowledge({ id: ruleId, reason: reason.trim() });
}

/**
 * Acknowledges several findings that share one reason (e.g. the IAM5 findings of one
 * grant, one per wildcard resource).
 */
export function suppressAll(construct: IConstruct, ruleIds: readonly string[], reason: string): void {
  for (const ruleId of ruleIds) suppress(construct, ruleId, reason);
}

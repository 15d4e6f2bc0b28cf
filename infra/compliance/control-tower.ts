/**
 * AWS Control Tower's proactive controls, checked at synth like cdk-nag.
 *
 * Control Tower runs its proactive controls as CloudFormation hooks: a stack that
 * breaks an enabled control does not deploy. The controls are published as cfn-guard
 * rules, and `@cdklabs/cdk-validator-cfnguard` ships them (rules/control-tower) with
 * the cfn-guard binary (3.x, Linux and macOS): nothing is fetched, so the check runs
 * offline. This module runs that validator as a CDK policy-validation plugin and
 * reports each finding by control (`CT.SQS.PR.1`) and resource.
 *
 * One difference from the validator as shipped, for speed only: cfn-guard costs the
 * same for every rule file whether or not the template holds a resource the rule
 * reports on (the 276 rules take about 25 s on a 230 KB template). Each Control
 * Tower rule applies only to the resource types it names (`let X = "AWS::S3::Bucket"`,
 * then `Resources.*[ Type == %X ]` or a hook document of that type) and skips a
 * template without them. So only the rule files that name a resource type present in
 * the template are given to cfn-guard; a rule file that names no type is always
 * given. test/infra/compliance proves that the findings equal the full rule set's.
 *
 * Findings are acknowledged with CDK's `Validations.of(construct).acknowledge()`,
 * like cdk-nag's, through {@link acknowledgeControl}: a reason is required.
 *
 * What only a real account can prove: that the hooks enabled on the account's OU
 * are these rules at this version (the rules bundled here are those of the validator
 * release pinned in package-lock.json), and that the account's own settings (for
 * instance an SCP) allow what the stack does.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  Validations,
  type IPolicyValidationContextBeta1,
  type IPolicyValidationPluginBeta1,
  type PolicyValidationPluginReportBeta1,
  type PolicyViolationBeta1,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The plugin's name, as the validation report shows it and acknowledgements are namespaced by. */
export const CONTROL_TOWER_PLUGIN_NAME = 'pitstop-control-tower';

/** Folder of the Control Tower cfn-guard rules inside the validator package. */
export const CONTROL_TOWER_RULES_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
  'cfn-guard',
);

/** One Control Tower rule file: its guard rule name, control id and the resource types it reports on. */
export interface ControlTowerRule {
  /** Path of the `.guard` file. */
  readonly file: string;
  /** The guard rule name, e.g. `sqs_dlq_check` (the validator's `ruleName`). */
  readonly ruleName: string;
  /** The Control Tower control id, e.g. `CT.SQS.PR.1`. */
  readonly controlId: string;
  /** CloudFormation resource types the rule names; empty when it names none. */
  readonly resourceTypes: readonly string[];
}

let rulesCache: readonly ControlTowerRule[] | undefined;

/** Every Control Tower rule the validator ships, read once. */
export function controlTowerRules(): readonly ControlTowerRule[] {
  if (rulesCache) return rulesCache;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.guard')) files.push(path);
    }
  };
  walk(CONTROL_TOWER_RULES_DIR);
  rulesCache = files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const ruleName = /^rule\s+([A-Za-z0-9_]+)\s+when\s/m.exec(text)?.[1];
    const controlId = /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/.exec(text)?.[1];
    if (!ruleName || !controlId) {
      throw new Error(`expected a Control Tower guard rule with a rule name and a [CT.X.PR.N] message in ${file}, got neither`);
    }
    const resourceTypes = [...new Set([...text.matchAll(/["'](AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)["']/g)].map((m) => m[1]!))];
    return { file, ruleName, controlId, resourceTypes };
  });
  return rulesCache;
}

/** The control id of a guard rule name, e.g. `sqs_dlq_check` → `CT.SQS.PR.1`. */
export function controlIdOf(ruleName: string): string | undefined {
  return controlTowerRules().find((r) => r.ruleName === ruleName)?.controlId;
}

/**
 * The rule files that can report on the given templates: those naming a resource type
 * some template holds, and those naming no type at all.
 */
export function applicableRuleFiles(templatePaths: readonly string[]): string[] {
  const types = new Set<string>();
  for (const path of templatePaths) {
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type?: string }> };
    for (const resource of Object.values(template.Resources ?? {})) if (resource.Type) types.add(resource.Type);
  }
  return controlTowerRules()
    .filter((r) => r.resourceTypes.length === 0 || r.resourceTypes.some((t) => types.has(t)))
    .map((r) => r.file);
}

/** Options of {@link ControlTowerChecks}. */
export interface ControlTowerChecksOptions {
  /**
   * Give cfn-guard every rule file instead of only those that apply to the
   * templates' resource types (slower; the findings are the same).
   * @default false
   */
  readonly allRules?: boolean;
}

/**
 * The Control Tower rules as a CDK policy-validation plugin: cfn-guard with the
 * validator's bundled rules, run on every stack template at synth.
 */
export class ControlTowerChecks implements IPolicyValidationPluginBeta1 {
  public readonly name = CONTROL_TOWER_PLUGIN_NAME;
  public readonly ruleIds: string[];
  private readonly allRules: boolean;

  public constructor(options: ControlTowerChecksOptions = {}) {
    this.allRules = options.allRules ?? false;
    this.ruleIds = controlTowerRules().map((r) => r.ruleName);
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const rules = this.allRules ? [CONTROL_TOWER_RULES_DIR] : applicableRuleFiles(context.templatePaths);
    if (rules.length === 0) return { success: true, violations: [] };
    const guard = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules, maxBuffer: 256 * 1024 * 1024 });
    const report = guard.validate(context);
    // Name the control in the description, so the report reads "CT.SQS.PR.1: ...".
    const violations = report.violations.map((v) => {
      const controlId = controlIdOf(v.ruleName);
      return controlId && !v.description.includes(controlId) ? { ...v, description: `[${controlId}]: ${v.description}` } : v;
    });
    return { success: violations.length === 0, violations };
  }
}

/** Runs the Control Tower checks on every stack of `app` at synth; an unacknowledged finding fails the synth. */
export function applyControlTowerChecks(app: IConstruct, options: ControlTowerChecksOptions = {}): void {
  Validations.of(app).addPlugins(new ControlTowerChecks(options));
}

/** One finding: a control and the logical ids of the resources that break it. */
export interface ControlFinding {
  /** The guard rule name, e.g. `sqs_dlq_check`. */
  readonly ruleName: string;
  /** The control id, e.g. `CT.SQS.PR.1`. */
  readonly controlId: string;
  /** Logical ids of the resources that break it, sorted. */
  readonly resources: readonly string[];
}

/** Groups a report's violations by control, each with its resources (acknowledgements are not applied). */
export function findingsByControl(violations: readonly PolicyViolationBeta1[]): ControlFinding[] {
  const byRule = new Map<string, Set<string>>();
  for (const v of violations) {
    const set = byRule.get(v.ruleName) ?? new Set<string>();
    for (const r of v.violatingResources) if (r.resourceLogicalId) set.add(r.resourceLogicalId);
    byRule.set(v.ruleName, set);
  }
  return [...byRule.entries()]
    .map(([ruleName, set]) => ({ ruleName, controlId: controlIdOf(ruleName) ?? ruleName, resources: [...set].sort() }))
    .sort((a, b) => a.controlId.localeCompare(b.controlId, 'en', { numeric: true }));
}

/** Shortest reason accepted, so an acknowledgement always says why. */
export const MIN_CONTROL_REASON_LENGTH = 20;

/**
 * Acknowledges one Control Tower finding on a construct and everything under it: the
 * synth passes and the validation report lists it as acknowledged, with the reason.
 * Only a control the account has not enabled lets such a stack deploy.
 *
 * @param construct where the finding applies
 * @param ruleName the guard rule, e.g. `s3_bucket_logging_enabled_check`
 * @param reason why the finding is acceptable here
 * @throws Error when the rule is not a Control Tower rule or the reason is too short
 */
export function acknowledgeControl(construct: IConstruct, ruleName: string, reason: string): void {
  const controlId = controlIdOf(ruleName);
  if (!controlId) throw new Error(`expected a Control Tower guard rule name like "sqs_dlq_check", got "${ruleName}"`);
  if (reason.trim().length < MIN_CONTROL_REASON_LENGTH) {
    throw new Error(
      `expected a reason of at least ${MIN_CONTROL_REASON_LENGTH} characters saying why ${controlId} (${ruleName}) is acceptable on ${construct.node.path}, got "${reason}"`,
    );
  }
  Validations.of(construct).acknowledge({ id: `${CONTROL_TOWER_PLUGIN_NAME}::${ruleName}`, reason: `${controlId}: ${reason.trim()}` });
}

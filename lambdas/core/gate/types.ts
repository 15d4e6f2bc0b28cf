/**
 * The promotion gate's rules (the config's `gate` object) and its result.
 * The rule interfaces are structural, so the parsed config's `gate` is assignable.
 */

/** The candidate's metric must be at least `min` and/or at most `max`. */
export interface AbsoluteRule {
  /** A metric name. */
  readonly metric: string;
  /** The lowest value that passes (inclusive). @default no lower bound */
  readonly min?: number;
  /** The highest value that passes (inclusive). @default no upper bound */
  readonly max?: number;
}

/** The candidate may be worse than production by at most `maxDegradation` (direction from the metric). */
export interface RelativeRule {
  /** A metric name. */
  readonly metric: string;
  /** How much worse than production the candidate may be, in the metric's own units. */
  readonly maxDegradation: number;
}

/** The candidate must beat production by at least `minImprovement` (direction from the metric). */
export interface PrimaryRule {
  /** A metric name. */
  readonly metric: string;
  /** The least improvement over production that passes, in the metric's own units. @default 0 (no worse) */
  readonly minImprovement?: number;
}

/** The gate's rules: the config's `gate` object. */
export interface GateRules {
  /** Rules on the candidate alone; they decide every run. @default [] */
  readonly absolute?: readonly AbsoluteRule[];
  /** Rules against production; skipped when there is no production model. @default [] */
  readonly relative?: readonly RelativeRule[];
  /** The improvement rule against production; skipped when there is no production model. @default none */
  readonly primary?: PrimaryRule;
}

/** The kinds of gate rule. */
export const GATE_RULE_KINDS = ['absolute', 'relative', 'primary'] as const;
/** A kind of gate rule. */
export type GateRuleKind = (typeof GATE_RULE_KINDS)[number];

/** `absolute-only` without a production model, `versus-production` with one. */
export type GateMode = 'absolute-only' | 'versus-production';

/** The outcome of one rule (an absolute rule with both `min` and `max` gives two). */
export interface GateRuleResult {
  readonly kind: GateRuleKind;
  readonly metric: string;
  /** The rule as text, e.g. `f1 >= production - 0.01`. */
  readonly description: string;
  /** The candidate's value. */
  readonly candidate: number;
  /** Production's value, when there is a production model. */
  readonly production?: number;
  /** The value the candidate was compared with; absent when the rule was skipped. */
  readonly threshold?: number;
  /**
   * By how much the rule passed (positive) or failed (negative), in the metric's own
   * units; 0 at the threshold. Absent when skipped or when a value is undefined (NaN).
   */
  readonly margin?: number;
  /** Whether the rule passed; a skipped rule does not block and counts as passed. */
  readonly passed: boolean;
  /** True when the rule could not apply (no production model). */
  readonly skipped?: boolean;
  /** Why a rule was skipped or failed without a margin. */
  readonly reason?: string;
}

/** The gate's decision and every rule's outcome, absolute rules first. */
export interface GateResult {
  /** True when every rule that applied passed. */
  readonly passed: boolean;
  readonly mode: GateMode;
  readonly rules: GateRuleResult[];
}

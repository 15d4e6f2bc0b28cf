/**
 * A deterministic generator of the example model's data: customers of a subscription
 * business with the features of examples/pitstop.config.json and the label `churned`.
 *
 * How a row is made (all draws from one seeded stream, a fixed number per row):
 * - plan, region and payment_method from fixed mixes;
 * - tenure_months ~ round(N(30, 20)) clipped to [1, 72];
 * - monthly_charges ~ N(30 | 60 | 95, 6 | 9 | 12) by plan, at least 10, two decimals;
 * - total_charges = monthly_charges * tenure_months * N(1, 0.04) (charges vary by month);
 * - support_calls ~ Poisson(1.5), 1.3 times as many in the first year;
 * - age ~ round(N(45, 14)) clipped to [18, 90];
 * - churned ~ Bernoulli(sigmoid(z)), z linear in the standardised numeric features and
 *   in per-category effects (see {@link churnLogit}). The Bernoulli draw is the noise.
 *
 * Achievable quality: on clean data z has a standard deviation of about 1.3-1.5 (the
 * squared coefficients times the features' variances: tenure ≈ 1.0, support calls ≈ 0.5,
 * prices ≈ 0.35, payment ≈ 0.16, the rest small, less the price/plan covariance) and a
 * mean near -1.3 (about a quarter of customers churn). For such a logistic-normal score
 * the best possible ROC AUC, that of the true probability, is 0.78-0.82 (numerical
 * integration: σ = 1.2 → 0.775, 1.5 → 0.816). The example logistic regression is
 * correctly specified, so with a few thousand rows it gets within a point of it.
 *
 * Drift:
 * - `featureDrift` d moves the inputs and keeps the label relationship: tenure mean
 *   30 → 30 − 12d and its spread ×(1 + 0.2d); prices ×(1 + 0.15d) with spread
 *   ×(1 + 0.3d); support calls ×(1 + 0.8d); age mean −6d; the plan mix moves to
 *   premium, the region mix to west, the payment mix to electronic_check.
 * - `conceptDrift` c moves the label relationship and keeps the inputs: the
 *   coefficients slide linearly to a second set in which long tenure and many support
 *   calls no longer mean what they did (the two logits are negatively correlated, so a
 *   model trained at c = 0 ranks c = 1 customers worse than chance, while a model
 *   retrained at c = 1 reaches about the same AUC as before).
 * With one seed, the uniforms behind each row are the same whatever the drift, so a
 * drifted dataset is the same customers moved, and `conceptDrift` alone changes labels only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../vocabulary/errors';
import {
  CHURN_CATEGORIES,
  CHURN_COLUMNS,
  CHURN_LABEL,
  type ChurnCustomer,
  type DatasetRow,
  type PaymentMethod,
  type Plan,
  type Region,
} from './churn-schema';
import { createRandom, type Random } from './prng';

/** Corruption of a generated dataset, for a data-quality scenario. */
export interface CorruptOptions {
  /** Blank out a share of one column's cells. @default not applied */
  readonly missing?: { readonly column: string; readonly share: number };
  /** Replace a share of one (numeric) column's cells with text. @default not applied */
  readonly text?: { readonly column: string; readonly share: number; /** @default 'unknown' */ readonly value?: string };
  /** Overwrite this share of the rows with copies of other rows. @default not applied */
  readonly duplicates?: number;
}

/**
 * The corruption `corrupt: true` applies. Each part alone makes the pipeline's data
 * validation critical, so a retraining on such data must stop before training:
 * - 40 % of monthly_charges missing (critical at 10 %, the example config's and the
 *   default `missingCritical`);
 * - 5 % of age the text "unknown" (a `type` failure in a numeric column; the example
 *   training also refuses it, naming file, line and column);
 * - 10 % duplicated rows (critical at the default `duplicateCritical` of 5 %).
 */
export const DEFAULT_CORRUPTION = {
  missing: { column: 'monthly_charges', share: 0.4 },
  text: { column: 'age', share: 0.05, value: 'unknown' },
  duplicates: 0.1,
} as const satisfies CorruptOptions;

/** Options of {@link generateRows}. */
export interface GenerateOptions {
  /** Number of rows. @default 5000 */
  readonly rows?: number;
  /** Seed of the pseudo-random stream; the same seed gives the same rows. @default 42 */
  readonly seed?: number;
  /** How far the inputs have moved, 0 (none) to 1 (much). @default 0 */
  readonly featureDrift?: number;
  /** How far the label relationship has moved, 0 (none) to 1 (a different one). @default 0 */
  readonly conceptDrift?: number;
  /** Corrupt the data: `true` for {@link DEFAULT_CORRUPTION}, or the parts to apply. @default false */
  readonly corrupt?: boolean | CorruptOptions;
}

/** Coefficients of the label relationship on standardised numeric features. */
interface Concept {
  readonly intercept: number;
  readonly tenure: number;
  readonly monthly: number;
  readonly support: number;
  readonly age: number;
  readonly plan: Readonly<Record<Plan, number>>;
  readonly region: Readonly<Record<Region, number>>;
  readonly payment: Readonly<Record<PaymentMethod, number>>;
}

/** The relationship at conceptDrift 0. */
const CONCEPT_BEFORE: Concept = {
  intercept: -1.3,
  tenure: -1.1,
  monthly: 0.6,
  support: 0.7,
  age: -0.2,
  plan: { basic: 0.2, standard: 0, premium: -0.3 },
  region: { north: 0, south: 0.15, east: -0.1, west: 0 },
  payment: { credit_card: -0.3, bank_transfer: -0.3, electronic_check: 0.6, mailed_check: 0.1 },
};

/** The relationship at conceptDrift 1. */
const CONCEPT_AFTER: Concept = {
  intercept: -1.3,
  tenure: 0.2,
  monthly: 0.4,
  support: -0.8,
  age: 0.7,
  plan: { basic: -0.3, standard: 0, premium: 0.5 },
  region: { north: 0.3, south: -0.2, east: 0, west: -0.1 },
  payment: { credit_card: 0.6, bank_transfer: -0.2, electronic_check: -0.4, mailed_check: 0 },
};

/** Fixed centres and scales of the label relationship (the clean data's, roughly). */
const CENTRE = { tenure: 30, monthly: 60, support: 1.6, age: 45 } as const;
const SCALE = { tenure: 20, monthly: 27, support: 1.3, age: 14 } as const;

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
const mix = (a: readonly number[], b: readonly number[], t: number): number[] => a.map((x, i) => lerp(x, b[i]!, t));
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const round2 = (x: number): number => Math.round(x * 100) / 100;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * The log-odds of churn of a customer under the relationship at `conceptDrift`.
 *
 * @param conceptDrift 0 (the original relationship) to 1 (the drifted one). @default 0
 */
export function churnLogit(c: ChurnCustomer, conceptDrift = 0): number {
  const k = (pick: (x: Concept) => number): number => lerp(pick(CONCEPT_BEFORE), pick(CONCEPT_AFTER), conceptDrift);
  return (
    k((x) => x.intercept) +
    k((x) => x.tenure) * ((c.tenure_months - CENTRE.tenure) / SCALE.tenure) +
    k((x) => x.monthly) * ((c.monthly_charges - CENTRE.monthly) / SCALE.monthly) +
    k((x) => x.support) * ((c.support_calls - CENTRE.support) / SCALE.support) +
    k((x) => x.age) * ((c.age - CENTRE.age) / SCALE.age) +
    k((x) => x.plan[c.plan]) +
    k((x) => x.region[c.region]) +
    k((x) => x.payment[c.payment_method])
  );
}

/** The true probability of churn of a customer (the best any model can predict). */
export function churnProbability(c: ChurnCustomer, conceptDrift = 0): number {
  return sigmoid(churnLogit(c, conceptDrift));
}

const PLAN_MIX = { before: [0.45, 0.35, 0.2], after: [0.2, 0.35, 0.45] } as const;
const REGION_MIX = { before: [0.3, 0.25, 0.25, 0.2], after: [0.15, 0.25, 0.25, 0.35] } as const;
const PAYMENT_MIX = { before: [0.3, 0.25, 0.3, 0.15], after: [0.2, 0.15, 0.55, 0.1] } as const;
const PRICE: Readonly<Record<Plan, { mean: number; sd: number }>> = {
  basic: { mean: 30, sd: 6 },
  standard: { mean: 60, sd: 9 },
  premium: { mean: 95, sd: 12 },
};

/** Draws one customer (12 uniforms, whatever the drift). */
function drawCustomer(rng: Random, d: number): ChurnCustomer {
  const plan = CHURN_CATEGORIES.plan[rng.pick(mix(PLAN_MIX.before, PLAN_MIX.after, d))]!;
  const region = CHURN_CATEGORIES.region[rng.pick(mix(REGION_MIX.before, REGION_MIX.after, d))]!;
  const payment_method = CHURN_CATEGORIES.payment_method[rng.pick(mix(PAYMENT_MIX.before, PAYMENT_MIX.after, d))]!;
  const tenure_months = clamp(Math.round(rng.normal(30 - 12 * d, 20 * (1 + 0.2 * d))), 1, 72);
  const price = PRICE[plan];
  const monthly_charges = round2(Math.max(10, rng.normal(price.mean * (1 + 0.15 * d), price.sd * (1 + 0.3 * d))));
  const total_charges = round2(Math.max(0, monthly_charges * tenure_months * rng.normal(1, 0.04)));
  const support_calls = rng.poisson(1.5 * (1 + 0.8 * d) * (tenure_months <= 12 ? 1.3 : 1));
  const age = clamp(Math.round(rng.normal(45 - 6 * d, 14)), 18, 90);
  return { tenure_months, monthly_charges, total_charges, support_calls, age, plan, region, payment_method };
}

function checkFraction(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new InputError(`${name} must be in [0, 1], got ${value}`);
}

/**
 * Generates a dataset in memory: `rows` rows keyed by column name (the features, then
 * `churned` as 0/1), the same rows for the same options.
 *
 * @throws InputError on options out of range
 */
export function generateRows(options: GenerateOptions = {}): DatasetRow[] {
  const n = options.rows ?? 5000;
  const seed = options.seed ?? 42;
  const d = options.featureDrift ?? 0;
  const c = options.conceptDrift ?? 0;
  if (!Number.isInteger(n) || n < 0) throw new InputError(`rows must be a non-negative integer, got ${n}`);
  checkFraction('featureDrift', d);
  checkFraction('conceptDrift', c);
  const rng = createRandom(seed, 0);
  const rows: Record<string, number | string | null>[] = [];
  for (let i = 0; i < n; i++) {
    const customer = drawCustomer(rng, d);
    const churned = rng.next() < churnProbability(customer, c) ? 1 : 0;
    rows.push({ ...customer, [CHURN_LABEL]: churned });
  }
  const corruption = options.corrupt === true ? DEFAULT_CORRUPTION : options.corrupt || undefined;
  if (corruption) corruptRows(rows, corruption, createRandom(seed, 1));
  return rows;
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
function permutation(n: number, rng: Random): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

/** Applies the corruption in place: missing cells, then text, then duplicates (exact shares, rounded). */
function corruptRows(rows: Record<string, number | string | null>[], opts: CorruptOptions, rng: Random): void {
  const n = rows.length;
  for (const part of [opts.missing, opts.text]) {
    if (!part) continue;
    if (!CHURN_COLUMNS.includes(part.column)) {
      throw new InputError(`cannot corrupt unknown column "${part.column}", expected one of ${CHURN_COLUMNS.join(', ')}`);
    }
    checkFraction(`corrupt share of ${part.column}`, part.share);
  }
  if (opts.missing) {
    const { column, share } = opts.missing;
    for (const i of permutation(n, rng).slice(0, Math.round(share * n))) rows[i]![column] = null;
  }
  if (opts.text) {
    const { column, share } = opts.text;
    const value = opts.text.value ?? 'unknown';
    for (const i of permutation(n, rng).slice(0, Math.round(share * n))) rows[i]![column] = value;
  }
  if (opts.duplicates) {
    checkFraction('corrupt duplicates', opts.duplicates);
    const k = Math.min(Math.round(opts.duplicates * n), Math.floor(n / 2));
    const order = permutation(n, rng);
    for (let j = 0; j < k; j++) rows[order[j]!] = { ...rows[order[k + j]!]! };
  }
}

/** One CSV field: empty for null, quoted when it holds a comma, quote or line break. */
function csvField(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Formats rows as CSV: a header line, then one line per row, `\n` line ends, missing
 * values as empty fields.
 *
 * @param columns the columns, in order. @default the churn columns (features, then label)
 * @param header write the header line. @default true
 */
export function toCsv(rows: readonly DatasetRow[], columns: readonly string[] = CHURN_COLUMNS, header = true): string {
  const lines = header ? [columns.map(csvField).join(',')] : [];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return lines.join('\n') + '\n';
}

/** Writes text to a file, creating its directory. */
function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * Generates a dataset and writes it as CSV with a header (features, then label).
 *
 * @returns the number of rows written
 */
export function writeDataset(path: string, options: GenerateOptions = {}): number {
  const rows = generateRows(options);
  writeText(path, toCsv(rows));
  return rows.length;
}

/** Options of {@link splitHoldout}. */
export interface SplitOptions {
  /** Share of the rows that goes to the holdout. @default 0.2 */
  readonly holdoutFraction?: number;
  /** Seed of the shuffle. @default 7 */
  readonly seed?: number;
}

/**
 * Splits rows into training and holdout sets by a seeded shuffle: the holdout gets
 * `round(holdoutFraction * n)` rows; both keep the rows' original order.
 */
export function splitHoldout<T>(rows: readonly T[], options: SplitOptions = {}): { train: T[]; holdout: T[] } {
  const fraction = options.holdoutFraction ?? 0.2;
  checkFraction('holdoutFraction', fraction);
  const inHoldout = new Uint8Array(rows.length);
  const order = permutation(rows.length, createRandom(options.seed ?? 7, 2));
  for (const i of order.slice(0, Math.round(fraction * rows.length))) inHoldout[i] = 1;
  const train: T[] = [];
  const holdout: T[] = [];
  rows.forEach((r, i) => (inHoldout[i] ? holdout : train).push(r));
  return { train, holdout };
}

/** Where {@link writeTrainHoldout} put the files. */
export interface WrittenSplit {
  /** `<dir>/train/train.csv` */
  readonly train: string;
  /** `<dir>/holdout/holdout.csv` */
  readonly holdout: string;
  readonly trainRows: number;
  readonly holdoutRows: number;
}

/**
 * Generates a dataset, splits it with {@link splitHoldout} and writes
 * `<dir>/train/train.csv` (a training channel directory) and `<dir>/holdout/holdout.csv`.
 */
export function writeTrainHoldout(dir: string, options: GenerateOptions & SplitOptions = {}): WrittenSplit {
  const { train, holdout } = splitHoldout(generateRows(options), { holdoutFraction: options.holdoutFraction, seed: options.seed });
  const paths = { train: join(dir, 'train', 'train.csv'), holdout: join(dir, 'holdout', 'holdout.csv') };
  writeText(paths.train, toCsv(train));
  writeText(paths.holdout, toCsv(holdout));
  return { ...paths, trainRows: train.length, holdoutRows: holdout.length };
}

/**
 * Command line: `node --import tsx examples/data/generate.ts [--rows N] [--seed N]
 * [--feature-drift X] [--concept-drift X] [--corrupt] [--out FILE | --split DIR]`.
 * Writes `.pitstop/data/churn.csv` by default; prints what it wrote.
 */
function main(argv: readonly string[]): void {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new InputError(`unexpected argument "${a}"`);
    if (a === '--corrupt') args.set('corrupt', 'true');
    else args.set(a.slice(2), argv[++i] ?? '');
  }
  const num = (k: string): number | undefined => (args.has(k) ? Number(args.get(k)) : undefined);
  const options = {
    rows: num('rows'),
    seed: num('seed'),
    featureDrift: num('feature-drift'),
    conceptDrift: num('concept-drift'),
    corrupt: args.has('corrupt'),
  };
  if (args.has('split')) {
    const w = writeTrainHoldout(args.get('split')!, options);
    process.stdout.write(`wrote ${w.train} (${w.trainRows} rows) and ${w.holdout} (${w.holdoutRows} rows)\n`);
  } else {
    const out = args.get('out') ?? '.pitstop/data/churn.csv';
    process.stdout.write(`wrote ${out} (${writeDataset(out, options)} rows)\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}

/**
 * The baseline profile: the JSON summary of a reference dataset that later drift checks
 * and data validation compare against, and its zod schema.
 *
 * Numeric features keep their moments, the reference's quantile cut points with the
 * reference's counts per bin (so binned drift statistics against a profile equal those
 * against the raw reference), and a `ValueStore` sketch for KS and Wasserstein (exact
 * while the column has at most `sketchItems` values). Categorical features keep their
 * counts per category.
 */
import { z } from 'zod';
import { InputError, ParseError } from '../../../vocabulary/errors';
import { ValueStore, type ValueStoreJSON } from '../stats/value-store';

/** The profile format version this code writes and reads. */
export const PROFILE_VERSION = 1;

const count = z.number().int().nonnegative();
const finite = z.number().finite();

const sketchSchema = z.custom<ValueStoreJSON>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'expected a ValueStore JSON object',
});

/** A numeric feature of a profile. Moments are null when the column has no value. */
export const NumericFeatureProfileSchema = z.object({
  name: z.string(),
  type: z.literal('numeric'),
  count,
  missing: count,
  mean: finite.nullable(),
  std: finite.nullable(),
  min: finite.nullable(),
  max: finite.nullable(),
  /** Quantile cut points of the reference, de-duplicated ascending. */
  cutPoints: z.array(finite),
  /** Reference counts per bin, length cutPoints.length + 1. */
  binCounts: z.array(z.number().nonnegative()),
  /** `ValueStore.toJSON(sketchItems)` of the reference values. */
  sketch: sketchSchema,
  /** Present (true) when the reference exceeded the value budget, so cut points and bin counts come from a sketch. */
  approximate: z.literal(true).optional(),
});

/** A categorical feature of a profile. */
export const CategoricalFeatureProfileSchema = z.object({
  name: z.string(),
  type: z.literal('categorical'),
  count,
  missing: count,
  categoryCounts: z.record(z.string(), count),
});

/** One feature of a profile. */
export const FeatureProfileSchema = z.discriminatedUnion('type', [NumericFeatureProfileSchema, CategoricalFeatureProfileSchema]);

/** The label of a profile: counts per class, or moments and bins of a numeric target. */
export const LabelProfileSchema = z.discriminatedUnion('type', [
  z.object({
    name: z.string(),
    type: z.literal('categorical'),
    count,
    missing: count,
    counts: z.record(z.string(), count),
  }),
  z.object({
    name: z.string(),
    type: z.literal('numeric'),
    count,
    missing: count,
    moments: z.object({ count, mean: finite, m2: finite, min: finite.nullable(), max: finite.nullable() }),
    bins: z.object({ cutPoints: z.array(finite), binCounts: z.array(z.number().nonnegative()) }),
  }),
]);

/** A baseline profile (version 1). */
export const ProfileSchema = z.object({
  version: z.literal(PROFILE_VERSION),
  /** ISO 8601 time the profile was built. */
  createdAt: z.string(),
  /** The reference's source (path, s3:// URI or prefix). */
  source: z.string(),
  rowCount: count,
  label: LabelProfileSchema.optional(),
  features: z.array(FeatureProfileSchema),
});

export type NumericFeatureProfile = z.infer<typeof NumericFeatureProfileSchema>;
export type CategoricalFeatureProfile = z.infer<typeof CategoricalFeatureProfileSchema>;
export type FeatureProfile = z.infer<typeof FeatureProfileSchema>;
export type LabelProfile = z.infer<typeof LabelProfileSchema>;
export type Profile = z.infer<typeof ProfileSchema>;

/** Stores built from sketches while validating a profile, each handed out once (see {@link sketchStore}). */
const validatedSketches = new WeakMap<ValueStoreJSON, ValueStore>();

/**
 * The `ValueStore` of a profile's sketch: the one built when the profile was validated
 * (each once, so no two callers share a store), or a new one.
 */
export function sketchStore(sketch: ValueStoreJSON): ValueStore {
  const store = validatedSketches.get(sketch);
  if (store === undefined) return ValueStore.fromJSON(sketch);
  validatedSketches.delete(sketch);
  return store;
}

/**
 * Validates a profile: `json` is the parsed object or its JSON text. Checks each
 * numeric feature's sketch and bin lengths too.
 *
 * @param file where the profile came from, for error messages
 * @throws ParseError when the text is not JSON
 * @throws InputError on an unsupported version or any shape problem
 */
export function parseProfile(json: unknown, file?: string): Profile {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new ParseError(`profile is not JSON: ${(err as Error).message}`, { file }, { cause: err });
    }
  }
  if (typeof value === 'object' && value !== null && 'version' in value && value.version !== PROFILE_VERSION) {
    throw new InputError(`unsupported profile version ${JSON.stringify(value.version)} (expected ${PROFILE_VERSION})`, { file });
  }
  const parsed = ProfileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InputError(`invalid profile${at}: ${issue.message}`, { file });
  }
  const profile = parsed.data;
  const names = new Set<string>();
  for (const f of profile.features) {
    if (names.has(f.name)) throw new InputError('feature appears twice in the profile', { file, column: f.name });
    names.add(f.name);
    if (f.type !== 'numeric') continue;
    if (f.binCounts.length !== f.cutPoints.length + 1) {
      throw new InputError(`profile has ${f.binCounts.length} bin counts for ${f.cutPoints.length} cut points`, { file, column: f.name });
    }
    try {
      validatedSketches.set(f.sketch, ValueStore.fromJSON(f.sketch));
    } catch (err) {
      throw new InputError(`invalid sketch in profile: ${(err as Error).message}`, { file, column: f.name }, { cause: err });
    }
  }
  return profile;
}

/**
 * The columns of the example model "churn", as examples/pitstop.config.json declares
 * them: the features in the config's order, then the label.
 */

/** The label column: 1 when the customer left, else 0. */
export const CHURN_LABEL = 'churned';

/** Numeric features, in the config's order. */
export const CHURN_NUMERIC_FEATURES = ['tenure_months', 'monthly_charges', 'total_charges', 'support_calls', 'age'] as const;

/** Categorical features, in the config's order. */
export const CHURN_CATEGORICAL_FEATURES = ['plan', 'region', 'payment_method'] as const;

export type ChurnNumericFeature = (typeof CHURN_NUMERIC_FEATURES)[number];
export type ChurnCategoricalFeature = (typeof CHURN_CATEGORICAL_FEATURES)[number];
export type ChurnFeature = ChurnNumericFeature | ChurnCategoricalFeature;

/** Every feature in the config's order: the column order of inference requests. */
export const CHURN_FEATURES: readonly ChurnFeature[] = [...CHURN_NUMERIC_FEATURES, ...CHURN_CATEGORICAL_FEATURES];

/** The columns of a generated CSV file: the features, then the label. */
export const CHURN_COLUMNS: readonly string[] = [...CHURN_FEATURES, CHURN_LABEL];

/** The categories of each categorical feature, in a fixed order. */
export const CHURN_CATEGORIES = {
  plan: ['basic', 'standard', 'premium'],
  region: ['north', 'south', 'east', 'west'],
  payment_method: ['credit_card', 'bank_transfer', 'electronic_check', 'mailed_check'],
} as const satisfies Record<ChurnCategoricalFeature, readonly string[]>;

export type Plan = (typeof CHURN_CATEGORIES.plan)[number];
export type Region = (typeof CHURN_CATEGORIES.region)[number];
export type PaymentMethod = (typeof CHURN_CATEGORIES.payment_method)[number];

/** One customer before any corruption: every feature present and typed. */
export interface ChurnCustomer {
  readonly tenure_months: number;
  readonly monthly_charges: number;
  readonly total_charges: number;
  readonly support_calls: number;
  readonly age: number;
  readonly plan: Plan;
  readonly region: Region;
  readonly payment_method: PaymentMethod;
}

/**
 * One row of a dataset, keyed by column name. Values are numbers and category strings;
 * a corrupted dataset also holds `null` (missing) and text in numeric columns.
 */
export type DatasetRow = Readonly<Record<string, number | string | null>>;

/**
 * CloudWatch statistics over the samples stored for one period: Sum, Average,
 * Minimum, Maximum, SampleCount and percentiles (`p95`, `p99.9`).
 *
 * Percentiles are computed from the raw values only (values sent as `Value` or
 * `Values`+`Counts`); values sent as `StatisticValues` feed the other statistics but
 * not percentiles. A percentile is the nearest-rank one: the smallest stored value v
 * such that at least p % of the (count-weighted) values are ≤ v.
 */

/** One stored PutMetricData datum. */
export type MetricSample =
  | { readonly kind: 'values'; readonly timestamp: number; readonly values: readonly number[]; readonly counts: readonly number[] }
  | {
      readonly kind: 'statistics';
      readonly timestamp: number;
      readonly sampleCount: number;
      readonly sum: number;
      readonly minimum: number;
      readonly maximum: number;
    };

/** Aggregate of several samples. */
interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Raw values with their counts, for percentiles. */
  raw: Array<[number, number]>;
}

function aggregate(samples: readonly MetricSample[]): Aggregate {
  const a: Aggregate = { count: 0, sum: 0, min: Infinity, max: -Infinity, raw: [] };
  for (const s of samples) {
    if (s.kind === 'statistics') {
      a.count += s.sampleCount;
      a.sum += s.sum;
      a.min = Math.min(a.min, s.minimum);
      a.max = Math.max(a.max, s.maximum);
    } else {
      s.values.forEach((v, i) => {
        const c = s.counts[i] ?? 1;
        if (c <= 0) return;
        a.count += c;
        a.sum += v * c;
        a.min = Math.min(a.min, v);
        a.max = Math.max(a.max, v);
        a.raw.push([v, c]);
      });
    }
  }
  return a;
}

/** Nearest-rank percentile of count-weighted values; undefined when there are none. */
export function percentile(raw: ReadonlyArray<readonly [number, number]>, p: number): number | undefined {
  const sorted = [...raw].sort((x, y) => x[0] - y[0]);
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [v, c] of sorted) {
    seen += c;
    if (seen >= rank) return v;
  }
  return sorted.at(-1)![0];
}

/** Whether `stat` is a statistic this module computes. */
export function isSupportedStatistic(stat: string): boolean {
  return /^(Sum|Average|Minimum|Maximum|SampleCount)$/.test(stat) || /^p(\d{1,2}(\.\d+)?|100)$/.test(stat);
}

/**
 * The value of one statistic over samples; undefined when it has no value (no
 * samples, or a percentile with no raw values).
 * @throws Error for a statistic not listed in the module doc
 */
export function statistic(stat: string, samples: readonly MetricSample[]): number | undefined {
  if (samples.length === 0) return undefined;
  const a = aggregate(samples);
  if (a.count === 0) return undefined;
  switch (stat) {
    case 'Sum':
      return a.sum;
    case 'Average':
      return a.sum / a.count;
    case 'Minimum':
      return a.min;
    case 'Maximum':
      return a.max;
    case 'SampleCount':
      return a.count;
    default: {
      const m = /^p(\d{1,3}(?:\.\d+)?)$/.exec(stat);
      if (!m || Number(m[1]) > 100) throw new Error(`expected a statistic Sum, Average, Minimum, Maximum, SampleCount or pNN, got ${stat}`);
      return percentile(a.raw, Number(m[1]));
    }
  }
}

/**
 * Number, duration and rate formatting for the report. Locale-independent
 * (always `en-US` digits and grouping) so that a report reads the same anywhere.
 */

/** Shown for a value that is not a finite number. */
export const MISSING = '—';

const GROUPED_INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const FOUR_SIGNIFICANT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4, useGrouping: false });

/**
 * A number for display: thousands grouped and no fraction from 1000 up
 * (`12345.6` → `12,346`), four significant digits below (`0.123456` → `0.1235`),
 * exponent notation under 0.001 (`0.0000123` → `1.23e-5`), `—` when not finite.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return GROUPED_INTEGER.format(value);
  if (abs < 0.001) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return FOUR_SIGNIFICANT.format(value);
}

/** An integer count with thousands grouped (`12345` → `12,345`). */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? GROUPED_INTEGER.format(value) : MISSING;
}

/**
 * A fraction as a percentage with up to two decimals (`0.01234` → `1.23 %`,
 * `0.5` → `50 %`).
 */
export function formatRate(fraction: number): string {
  if (!Number.isFinite(fraction)) return MISSING;
  const pct = Math.round(fraction * 100 * 100) / 100;
  return `${pct.toFixed(2).replace(/\.?0+$/, '')} %`;
}

/** A latency in milliseconds (`123.456` → `123.5 ms`). */
export function formatLatency(ms: number): string {
  return Number.isFinite(ms) ? `${formatNumber(ms)} ms` : MISSING;
}

/**
 * A duration: `850 ms` under a second, `12.3 s` under a minute, `4 min 05 s` under
 * an hour, `1 h 02 min` above.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return MISSING;
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) {
    const s = Math.round(abs / 100) / 10;
    if (s < 60) return `${sign}${s.toFixed(1)} s`;
  }
  const totalSeconds = Math.round(abs / 1000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    return `${sign}${m} min ${String(s).padStart(2, '0')} s`;
  }
  const totalMinutes = Math.round(abs / 60_000);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  return `${sign}${h} h ${String(m).padStart(2, '0')} min`;
}

/** An offset from the run's start (`+12.3 s`). */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms)) return MISSING;
  return ms < 0 ? formatDuration(ms) : `+${formatDuration(ms)}`;
}

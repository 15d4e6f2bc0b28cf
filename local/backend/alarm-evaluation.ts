/**
 * M-of-N alarm evaluation as CloudWatch documents it ("How alarm state is evaluated
 * when data is missing", Amazon CloudWatch User Guide, alarms-and-missing-data):
 *
 * - The alarm looks at an evaluation range longer than N (Evaluation Periods) periods.
 * - With at least N real datapoints in the range, the N most recent real ones decide:
 *   ALARM when at least M (Datapoints to Alarm) breach, else OK; missing-data
 *   treatment does not matter.
 * - With fewer, every real datapoint of the range counts and the shortfall up to N is
 *   filled according to TreatMissingData: `breaching` fills with breaching points,
 *   `notBreaching` with good ones; ALARM when at least M breach, else OK.
 *   `missing` and `ignore` fill nothing: ALARM when at least M real points breach;
 *   OK when a real point is good; with no real point `missing` goes to
 *   INSUFFICIENT_DATA and `ignore` keeps the state. Otherwise (only breaching points,
 *   fewer than M) `missing` applies the premature-alarm rule (ALARM when the oldest
 *   breaching point within the last N periods is at least M periods old) and `ignore`
 *   keeps the state.
 *
 * This reproduces every row of the two example tables of that page (3 of 3 and 2 of 3
 * with an evaluation range of 5).
 */

/** A period's datapoint compared with the threshold. */
export type Datapoint = 'breaching' | 'ok' | 'missing';

/** Alarm states. */
export const ALARM_STATES = { ok: 'OK', alarm: 'ALARM', insufficientData: 'INSUFFICIENT_DATA' } as const;
/** An alarm state. */
export type AlarmStateValue = (typeof ALARM_STATES)[keyof typeof ALARM_STATES];

/** TreatMissingData values. */
export const TREAT_MISSING = { missing: 'missing', ignore: 'ignore', breaching: 'breaching', notBreaching: 'notBreaching' } as const;
/** A TreatMissingData value. */
export type TreatMissingData = (typeof TREAT_MISSING)[keyof typeof TREAT_MISSING];

/** The alarm settings evaluation reads. */
export interface WindowSettings {
  /** N. */
  readonly evaluationPeriods: number;
  /** M. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default 'missing' */
  readonly treatMissingData?: TreatMissingData;
}

/** Outcome of one evaluation. */
export interface WindowOutcome {
  readonly state: AlarmStateValue;
  /** Human-readable reason, like CloudWatch's StateReason. */
  readonly reason: string;
}

/**
 * Evaluates an alarm over its evaluation range.
 * @param range datapoints of the evaluation range, oldest first (at least N long)
 * @param current the alarm's state before this evaluation (kept when the rules say so)
 */
export function evaluateWindow(range: readonly Datapoint[], settings: WindowSettings, current: AlarmStateValue): WindowOutcome {
  const n = settings.evaluationPeriods;
  const m = settings.datapointsToAlarm ?? n;
  const treat = settings.treatMissingData ?? TREAT_MISSING.missing;
  const real = range.filter((p) => p !== 'missing');
  const verdict = (breaching: number, of: number, filled = 0): WindowOutcome => {
    const alarm = breaching >= m;
    return {
      state: alarm ? ALARM_STATES.alarm : ALARM_STATES.ok,
      reason: `${breaching} out of the last ${of} datapoints breaching (${m} needed for ALARM)${
        filled ? `, ${filled} missing datapoints treated as ${treat}` : ''
      }`,
    };
  };
  if (real.length >= n) {
    const recent = real.slice(-n);
    return verdict(recent.filter((p) => p === 'breaching').length, n);
  }
  const realBreaching = real.filter((p) => p === 'breaching').length;
  const shortfall = n - real.length;
  if (treat === TREAT_MISSING.breaching) return verdict(realBreaching + shortfall, real.length + shortfall, shortfall);
  if (treat === TREAT_MISSING.notBreaching) return verdict(realBreaching, real.length + shortfall, shortfall);
  if (realBreaching >= m) return verdict(realBreaching, real.length);
  const keep = (why: string): WindowOutcome => ({ state: current, reason: why });
  if (real.length === 0) {
    return treat === TREAT_MISSING.missing
      ? { state: ALARM_STATES.insufficientData, reason: `no datapoints in the last ${range.length} periods` }
      : keep(`no datapoints in the last ${range.length} periods (missing data ignored)`);
  }
  if (real.some((p) => p === 'ok')) return verdict(realBreaching, real.length);
  if (treat === TREAT_MISSING.missing) {
    const lastN = range.slice(-n);
    const oldest = lastN.indexOf('breaching');
    const age = oldest === -1 ? 0 : lastN.length - oldest;
    if (age >= m) {
      return {
        state: ALARM_STATES.alarm,
        reason: `the oldest breaching datapoint is ${age} periods old and every later one is breaching or missing`,
      };
    }
  }
  return keep(`${realBreaching} breaching datapoints and no others: too few to change state`);
}

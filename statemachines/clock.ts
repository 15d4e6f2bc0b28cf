/**
 * Epoch seconds from an ISO 8601 timestamp, in JSONPath states alone.
 *
 * Step Functions gives times only as ISO 8601 strings (`$$.Execution.StartTime`,
 * e.g. `2024-06-01T12:34:56.789Z`) and its intrinsic functions cannot parse dates or
 * multiply, but the lock's expiry must be a number (DynamoDB compares it and its TTL
 * reads epoch seconds). {@link epochSeconds} splits the timestamp with
 * `States.StringSplit` (one delimiter character at a time), turns each two-digit
 * field into a number (`States.StringToJson` of `'1' + field`, minus 100: `"06"` is
 * not JSON), looks the seconds
 * of the year, month, day, hour and minute up in tables computed here, and adds them
 * with `States.MathAdd`. Years {@link FIRST_YEAR} to {@link FIRST_YEAR} + 99 are
 * covered; a time outside them fails the state with `States.Runtime`.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/** First year the tables cover. */
export const FIRST_YEAR = 2024;
/** Years the tables cover. */
export const YEARS = 100;

const DAY = 86_400;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The lookup tables (epoch seconds of each year's start, month starts with and without Feb 29, ...). */
export function clockTables() {
  const monthStarts = (leap: boolean) => {
    const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const starts = [0];
    for (const length of lengths.slice(0, 11)) starts.push(starts.at(-1)! + length * DAY);
    return [0, ...starts]; // index 1..12
  };
  return {
    years: range(YEARS).map((i) => Date.UTC(FIRST_YEAR + i, 0, 1) / 1000),
    leap: range(YEARS).map((i) => (isLeap(FIRST_YEAR + i) ? 1 : 0)),
    months: [monthStarts(false), monthStarts(true)],
    days: range(32).map((i) => (i - 1) * DAY), // index 1..31
    hours: range(24).map((i) => i * 3600),
    minutes: range(60).map((i) => i * 60),
  };
}

/** Options of {@link epochSeconds}. */
export interface EpochSecondsOptions {
  /** JSONPath of the ISO 8601 UTC timestamp (`YYYY-MM-DDThh:mm:ss[.fff]Z`), e.g. `$$.Execution.StartTime`. */
  readonly isoPath: string;
  /** Where `{ epochSeconds, epochSecondsText, plusSeconds, plusSecondsText }` is written (also the scratch space). */
  readonly resultPath: string;
  /**
   * Seconds added for `plusSeconds` (e.g. a lock's lifetime).
   * @default 0
   */
  readonly addSeconds?: number;
}

/** The chain {@link epochSeconds} builds: enter at `start`, continue from `end`. */
export interface EpochSecondsChain {
  readonly start: sfn.Pass;
  readonly end: sfn.Pass;
}

/**
 * Five Pass states computing the epoch seconds of a timestamp (and that plus
 * `addSeconds`), as numbers and as decimal strings (DynamoDB `N` values).
 */
export function epochSeconds(scope: Construct, label: string, options: EpochSecondsOptions): EpochSecondsChain {
  const t = clockTables();
  const r = options.resultPath;
  const add = Math.round(options.addSeconds ?? 0);
  const split = new sfn.Pass(scope, `${label}: split time`, {
    parameters: {
      'date.$': `States.StringSplit(States.ArrayGetItem(States.StringSplit(${options.isoPath}, 'T'), 0), '-')`,
      'time.$': `States.StringSplit(States.ArrayGetItem(States.StringSplit(${options.isoPath}, 'T'), 1), ':')`,
    },
    resultPath: r,
  });
  const fields = new sfn.Pass(scope, `${label}: read fields`, {
    parameters: {
      'year.$': `States.MathAdd(States.StringToJson(States.ArrayGetItem(${r}.date, 0)), ${-FIRST_YEAR})`,
      'month.$': `States.ArrayGetItem(${r}.date, 1)`,
      'day.$': `States.ArrayGetItem(${r}.date, 2)`,
      'hour.$': `States.ArrayGetItem(${r}.time, 0)`,
      'minute.$': `States.ArrayGetItem(${r}.time, 1)`,
      // "56.789Z" or "56Z" → "56"
      'second.$': `States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(${r}.time, 2), 'Z'), 0), '.'), 0)`,
    },
    resultPath: r,
  });
  // "06" is not JSON (leading zero): read "106" and take 100 away.
  const index = (field: string) => `States.MathAdd(States.StringToJson(States.Format('1{}', ${r}.${field})), -100)`;
  const numbers = new sfn.Pass(scope, `${label}: to numbers`, {
    parameters: {
      years: t.years,
      leap: t.leap,
      months: t.months,
      days: t.days,
      hours: t.hours,
      minutes: t.minutes,
      'year.$': `${r}.year`,
      'month.$': index('month'),
      'day.$': index('day'),
      'hour.$': index('hour'),
      'minute.$': index('minute'),
      'second.$': index('second'),
    },
    resultPath: r,
  });
  const parts = new sfn.Pass(scope, `${label}: look up seconds`, {
    parameters: {
      'year.$': `States.ArrayGetItem(${r}.years, ${r}.year)`,
      'month.$': `States.ArrayGetItem(States.ArrayGetItem(${r}.months, States.ArrayGetItem(${r}.leap, ${r}.year)), ${r}.month)`,
      'day.$': `States.ArrayGetItem(${r}.days, ${r}.day)`,
      'hour.$': `States.ArrayGetItem(${r}.hours, ${r}.hour)`,
      'minute.$': `States.ArrayGetItem(${r}.minutes, ${r}.minute)`,
      'second.$': `${r}.second`,
    },
    resultPath: r,
  });
  const sum = `States.MathAdd(States.MathAdd(States.MathAdd(${r}.year, ${r}.month), States.MathAdd(${r}.day, ${r}.hour)), States.MathAdd(${r}.minute, ${r}.second))`;
  const total = new sfn.Pass(scope, `${label}: add up`, {
    parameters: {
      'epochSeconds.$': sum,
      'epochSecondsText.$': `States.Format('{}', ${sum})`,
      'plusSeconds.$': `States.MathAdd(${sum}, ${add})`,
      'plusSecondsText.$': `States.Format('{}', States.MathAdd(${sum}, ${add}))`,
    },
    resultPath: r,
  });
  split.next(fields).next(numbers).next(parts).next(total);
  return { start: split, end: total };
}

/**
 * EventBridge schedule expressions: `rate(N minute|minutes|hour|hours|day|days)` and
 * `cron(minutes hours day-of-month month day-of-week year)` in UTC, and the times they
 * fire within an interval.
 *
 * Rates fire at multiples of their period counted from the Unix epoch (EventBridge
 * counts from the rule's creation; a fixed origin keeps local runs reproducible).
 * Cron fields accept `*`, `?`, numbers, `a-b`, lists, `/step`, month names JAN-DEC,
 * day names SUN-SAT (day-of-week 1 = Sunday) and `L` for the last day of the month.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

type FieldSet = Set<number> | 'any' | 'last';

function parseField(field: string, min: number, max: number, names: string[] = [], offset = 1): FieldSet {
  if (field === '*' || field === '?') return 'any';
  if (field === 'L') return 'last';
  const values = new Set<number>();
  const num = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    const n = i >= 0 ? i + offset : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected a value between ${min} and ${max} in cron field "${field}", got "${s}"`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`expected a positive step in cron field "${field}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      [lo, hi] = [num(a!), num(b!)];
    } else {
      lo = num(range!);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

function has(set: FieldSet, v: number): boolean {
  return set === 'any' || (set !== 'last' && set.has(v));
}

/** A parsed schedule: the next firing time strictly after a given time. */
export interface Schedule {
  /** The first firing time strictly after `after`, or undefined if none within ten years. */
  next(after: Date): Date | undefined;
}

/**
 * Parses a schedule expression.
 * @throws Error naming the expression when it is not a supported rate or cron
 */
export function parseSchedule(expression: string): Schedule {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const unit = rate[2]!.startsWith('minute') ? 60_000 : rate[2]!.startsWith('hour') ? 3_600_000 : 86_400_000;
    const period = Number(rate[1]) * unit;
    if (period <= 0) throw new Error(`expected a positive rate in ${expression}`);
    return { next: (after) => new Date((Math.floor(after.getTime() / period) + 1) * period) };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) throw new Error(`expected rate(...) or cron(...), got "${expression}"`);
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`expected 6 cron fields in "${expression}", got ${fields.length}`);
  const [mi, h, dom, mon, dow, yr] = fields as [string, string, string, string, string, string];
  if (/[W#]/.test(dom + dow)) throw new Error(`cron "${expression}": W and # are not supported locally`);
  const minutes = parseField(mi, 0, 59);
  const hours = parseField(h, 0, 23);
  const days = parseField(dom, 1, 31);
  const months = parseField(mon, 1, 12, MONTHS);
  const weekdays = parseField(dow, 1, 7, DAYS);
  const years = parseField(yr, 1970, 2199);
  const dayMatches = (d: Date): boolean => {
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    const domOk = days === 'last' ? d.getUTCDate() === lastDay : has(days, d.getUTCDate());
    return domOk && has(weekdays, d.getUTCDay() + 1) && has(months, d.getUTCMonth() + 1) && has(years, d.getUTCFullYear());
  };
  return {
    next(after) {
      let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
      const limit = after.getTime() + 10 * 366 * 86_400_000;
      while (t <= limit) {
        const d = new Date(t);
        if (!dayMatches(d)) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
          continue;
        }
        if (has(hours, d.getUTCHours()) && has(minutes, d.getUTCMinutes())) return d;
        t += has(hours, d.getUTCHours()) ? 60_000 : 3_600_000 - d.getUTCMinutes() * 60_000;
      }
      return undefined;
    },
  };
}

/** Firing times of a schedule in (from, to], oldest first. */
export function fireTimes(expression: string, from: Date, to: Date): Date[] {
  const schedule = parseSchedule(expression);
  const out: Date[] = [];
  for (let t = schedule.next(from); t && t.getTime() <= to.getTime(); t = schedule.next(t)) out.push(t);
  return out;
}

/**
 * EventBridge schedule expressions: `rate(value unit)` and `cron(minutes hours
 * day-of-month month day-of-week year)` in UTC. One parser serves the config check and
 * local mode's firing times: cron fields are checked against the wildcards EventBridge
 * allows in each field, then mapped onto croner (Quartz weekday numbering, year field),
 * which computes the firing times.
 *
 * EventBridge's rules (Cron expressions reference, EventBridge user guide):
 * - day-of-week is 1-7 or SUN-SAT, 1 = Sunday; `L` alone there is the last day of the
 *   week (Saturday), `nL` the last weekday n of the month, `n#k` its k-th occurrence
 *   (one expression only when `#` is used);
 * - day-of-month takes `L` (last day), `nW` (the weekday nearest day n, within the month)
 *   and `LW` (the last weekday of the month);
 * - `a/n` counts from a in steps of n to the end of the field's range;
 * - exactly one of day-of-month and day-of-week is `?`.
 */
import { Cron } from 'croner';

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers (JAN..DEC, SUN..SAT), mapped to their number. */
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MINUTES: CronField = { name: 'minutes', min: 0, max: 59 };
const HOURS: CronField = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: CronField = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: CronField = { name: 'month', min: 1, max: 12, names: MONTHS };
const DAY_OF_WEEK: CronField = { name: 'day-of-week', min: 1, max: 7, names: DAYS };
const YEAR: CronField = { name: 'year', min: 1970, max: 2199 };

/** Thrown inside this module for the first problem found; turned into a message. */
class CronProblem extends Error {}

/** The number a single cron value stands for. @throws CronProblem when it is out of range */
function value(token: string, field: CronField): number {
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  const n = index >= 0 ? index + field.min : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!(n >= field.min && n <= field.max)) {
    const allowed = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ''}`;
    throw new CronProblem(`invalid ${field.name} field value ${JSON.stringify(token)} (allowed ${allowed})`);
  }
  return n;
}

/**
 * One comma-separated item with the wildcards every field shares (`*`, `a`, `a-b`,
 * `a/n`, `a-b/n`, `* /n`), in croner's syntax with numbers only.
 */
function plainItem(item: string, field: CronField, steps: boolean): string {
  const bad = () => new CronProblem(`invalid ${field.name} field value ${JSON.stringify(item)}`);
  if (item === '*') return '*';
  const m = /^([^/-]+)(?:-([^/]+))?(?:\/(\d+))?$/.exec(item);
  if (!m) throw bad();
  const [, from, to, step] = m;
  if (step !== undefined && !steps) throw new CronProblem(`"/" is not allowed in the ${field.name} field`);
  if (step !== undefined && Number(step) < 1) throw new CronProblem(`the step in ${field.name} field value ${JSON.stringify(item)} must be at least 1`);
  const start = from === '*' ? field.min : value(from!, field);
  if (from === '*' && to !== undefined) throw bad();
  const end = to !== undefined ? value(to, field) : step !== undefined ? field.max : undefined;
  if (end !== undefined && end < start && step === undefined) {
    throw new CronProblem(`the range ${JSON.stringify(item)} in the ${field.name} field ends before it starts`);
  }
  return `${start}${end !== undefined ? `-${end}` : ''}${step !== undefined ? `/${step}` : ''}`;
}

function listOf(text: string, item: (one: string) => string): string {
  return text.split(',').map(item).join(',');
}

function dayOfMonth(text: string): string {
  return listOf(text, (item) => {
    if (item === 'L' || item === 'LW') return item;
    const w = /^(\w+)W$/.exec(item);
    if (w) return `${value(w[1]!, DAY_OF_MONTH)}W`;
    return plainItem(item, DAY_OF_MONTH, true);
  });
}

function dayOfWeek(text: string): string {
  if (text.includes('#') && text.includes(',')) {
    throw new CronProblem('with "#" the day-of-week field holds one expression only');
  }
  return listOf(text, (item) => {
    if (item === 'L') return String(DAY_OF_WEEK.max); // the last day of the week: Saturday
    const last = /^(\w+)L$/.exec(item);
    if (last) return `${value(last[1]!, DAY_OF_WEEK)}#L`;
    const nth = /^(\w+)#(\d+)$/.exec(item);
    if (nth) {
      const k = Number(nth[2]);
      if (k < 1 || k > 5) throw new CronProblem(`invalid day-of-week field value ${JSON.stringify(item)} (the occurrence after "#" is 1-5)`);
      return `${value(nth[1]!, DAY_OF_WEEK)}#${k}`;
    }
    return plainItem(item, DAY_OF_WEEK, false);
  });
}

/** Maps a `cron(...)` body onto a croner pattern (seconds first, year last). @throws CronProblem */
function cronPattern(body: string): string {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new CronProblem(`cron expressions need 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  }
  const [mi, h, dom, mon, dow, yr] = fields as [string, string, string, string, string, string];
  if ([mi, h, mon, yr].includes('?')) throw new CronProblem('"?" is allowed only in the day-of-month and day-of-week fields');
  if ((dom === '?') === (dow === '?')) throw new CronProblem('exactly one of day-of-month and day-of-week must be "?"');
  const parts = [
    '0',
    listOf(mi, (i) => plainItem(i, MINUTES, true)),
    listOf(h, (i) => plainItem(i, HOURS, true)),
    dom === '?' ? '*' : dayOfMonth(dom),
    listOf(mon, (i) => plainItem(i, MONTH, true)),
    dow === '?' ? '*' : dayOfWeek(dow),
    listOf(yr, (i) => plainItem(i, YEAR, true)),
  ];
  return parts.join(' ');
}

/** A parsed schedule expression. */
export interface ScheduleExpression {
  readonly kind: 'rate' | 'cron';
  /** For a rate: its period in milliseconds. */
  readonly periodMs?: number;
  /**
   * The first firing time strictly after `after`, or undefined when there is none (a
   * cron whose years have passed). Rates fire at multiples of their period counted from
   * the Unix epoch (EventBridge counts from the rule's creation).
   */
  next(after: Date): Date | undefined;
}

const RATE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function parseRate(body: string): ScheduleExpression {
  const match = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
  if (!match) throw new CronProblem('rate expressions look like "rate(5 minutes)", "rate(1 hour)" or "rate(7 days)"');
  const count = Number(match[1]);
  const unit = match[2]!;
  if (count < 1) throw new CronProblem('rate value must be a positive integer');
  const plural = unit.endsWith('s');
  if (count === 1 && plural) throw new CronProblem(`use the singular unit for a value of 1 ("rate(1 ${unit.slice(0, -1)})")`);
  if (count > 1 && !plural) throw new CronProblem(`use the plural unit for a value above 1 ("rate(${count} ${unit}s)")`);
  const periodMs = count * RATE_UNITS[plural ? unit.slice(0, -1) : unit]!;
  return { kind: 'rate', periodMs, next: (after) => new Date((Math.floor(after.getTime() / periodMs) + 1) * periodMs) };
}

function parseCron(body: string): ScheduleExpression {
  const pattern = cronPattern(body);
  let cron: Cron;
  try {
    cron = new Cron(pattern, { paused: true, timezone: 'Etc/UTC', mode: '7-part', alternativeWeekdays: true });
  } catch (cause) {
    throw new CronProblem((cause as Error).message.replace(/^CronPattern:\s*/, ''));
  }
  return {
    kind: 'cron',
    next: (after) => {
      // croner counts from the next whole second; EventBridge fires on whole minutes
      const next = cron.nextRun(new Date(Math.floor(after.getTime() / 1000) * 1000));
      return next ?? undefined;
    },
  };
}

/**
 * Parses an EventBridge schedule expression.
 * @returns the schedule, or a one-line problem when EventBridge would refuse it
 */
export function parseScheduleExpression(expression: string): ScheduleExpression | { problem: string } {
  const match = /^(rate|cron)\((.*)\)$/s.exec(expression.trim());
  if (!match) return { problem: 'expected "rate(N unit)" or "cron(minutes hours day-of-month month day-of-week year)"' };
  try {
    return match[1] === 'rate' ? parseRate(match[2]!) : parseCron(match[2]!);
  } catch (e) {
    if (e instanceof CronProblem) return { problem: e.message };
    throw e;
  }
}

/**
 * Why `expression` is not a valid EventBridge schedule expression, or undefined when
 * it is. Accepts `rate(N unit)` and `cron(minutes hours day-of-month month day-of-week year)`.
 */
export function scheduleProblem(expression: string): string | undefined {
  const parsed = parseScheduleExpression(expression);
  return 'problem' in parsed ? parsed.problem : undefined;
}

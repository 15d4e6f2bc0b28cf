/**
 * EventBridge schedule expressions: `rate(value unit)` and `cron(minutes hours
 * day-of-month month day-of-week year)`, checked the way EventBridge checks them.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers (JAN..DEC, SUN..SAT), mapped to their number. */
  readonly names?: readonly string[];
  /** Extra single-character or suffix forms this field accepts. */
  readonly special: { readonly L?: boolean; readonly W?: boolean; readonly hash?: boolean; readonly question?: boolean };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, special: {} },
  { name: 'hours', min: 0, max: 23, special: {} },
  { name: 'day-of-month', min: 1, max: 31, special: { L: true, W: true, question: true } },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: {} },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: { L: true, hash: true, question: true } },
  { name: 'year', min: 1970, max: 2199, special: {} },
];

/** The number a single cron value stands for, or undefined when it is not one. */
function cronValue(token: string, field: CronField): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}

/** Why one comma-separated item of a cron field is invalid, or undefined. */
function cronItemProblem(item: string, field: CronField): string | undefined {
  const bad = `invalid ${field.name} field value ${JSON.stringify(item)} (allowed ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ''})`;
  if (item === '*') return undefined;
  if (field.special.L && item === 'L') return undefined;
  if (field.name === 'day-of-month') {
    if (item === 'LW') return undefined;
    const w = /^(\d+)W$/.exec(item);
    if (w) return cronValue(w[1]!, field) === undefined ? bad : undefined;
  }
  if (field.name === 'day-of-week') {
    const last = /^(\w+)L$/.exec(item);
    if (last) return cronValue(last[1]!, field) === undefined ? bad : undefined;
    const hash = /^(\w+)#(\d)$/.exec(item);
    if (hash) return cronValue(hash[1]!, field) === undefined || Number(hash[2]) < 1 || Number(hash[2]) > 5 ? bad : undefined;
  }
  const step = /^([^/]+)\/(\d+)$/.exec(item);
  const base = step ? step[1]! : item;
  if (step && Number(step[2]) < 1) return bad;
  if (base === '*') return step ? undefined : bad;
  const range = /^(\w+)-(\w+)$/.exec(base);
  if (range) {
    return cronValue(range[1]!, field) === undefined || cronValue(range[2]!, field) === undefined ? bad : undefined;
  }
  return cronValue(base, field) === undefined ? bad : undefined;
}

/** Why a `cron(...)` body is invalid, or undefined when it is valid. */
function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `cron expressions need 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  }
  for (let i = 0; i < 6; i++) {
    const field = CRON_FIELDS[i]!;
    const value = fields[i]!;
    if (value === '?') {
      if (!field.special.question) return `"?" is allowed only in the day-of-month and day-of-week fields`;
      continue;
    }
    for (const item of value.split(',')) {
      const problem = cronItemProblem(item, field);
      if (problem) return problem;
    }
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'exactly one of day-of-month and day-of-week must be "?"';
  }
  return undefined;
}

/** Why a `rate(...)` body is invalid, or undefined when it is valid. */
function rateProblem(body: string): string | undefined {
  const match = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
  if (!match) return 'rate expressions look like "rate(5 minutes)", "rate(1 hour)" or "rate(7 days)"';
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value < 1) return 'rate value must be a positive integer';
  const plural = unit.endsWith('s');
  if (value === 1 && plural) return `use the singular unit for a value of 1 ("rate(1 ${unit.slice(0, -1)})")`;
  if (value > 1 && !plural) return `use the plural unit for a value above 1 ("rate(${value} ${unit}s)")`;
  return undefined;
}

/**
 * Why `expression` is not a valid EventBridge schedule expression, or undefined when
 * it is. Accepts `rate(N unit)` and `cron(minutes hours day-of-month month day-of-week year)`.
 */
export function scheduleProblem(expression: string): string | undefined {
  const match = /^(rate|cron)\((.*)\)$/s.exec(expression.trim());
  if (!match) return 'expected "rate(N unit)" or "cron(minutes hours day-of-month month day-of-week year)"';
  return match[1] === 'rate' ? rateProblem(match[2]!) : cronProblem(match[2]!);
}

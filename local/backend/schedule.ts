/**
 * The times EventBridge schedule expressions fire within an interval, in UTC, for local
 * mode's schedule rules. The expressions are parsed by the config's own parser
 * (`vocabulary/config/schedule.ts`), so what the config check accepts fires locally.
 */
import { parseScheduleExpression, type ScheduleExpression } from '../../vocabulary/config/schedule';

/** A parsed schedule: the next firing time strictly after a given time. */
export type Schedule = Pick<ScheduleExpression, 'next'>;

/**
 * Parses a schedule expression.
 * @throws Error naming the expression and the problem when EventBridge would refuse it
 */
export function parseSchedule(expression: string): Schedule {
  const parsed = parseScheduleExpression(expression);
  if ('problem' in parsed) throw new Error(`invalid schedule expression ${JSON.stringify(expression)}: ${parsed.problem}`);
  return parsed;
}

/** Firing times of a schedule in (from, to], oldest first. */
export function fireTimes(expression: string, from: Date, to: Date): Date[] {
  const schedule = parseSchedule(expression);
  const out: Date[] = [];
  for (let t = schedule.next(from); t && t.getTime() <= to.getTime(); t = schedule.next(t)) out.push(t);
  return out;
}

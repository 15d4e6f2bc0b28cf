/** Finds processes of this user whose environment or command line mentions a path. */
import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of live processes (other than this one) whose environ or cmdline contains `needle`. */
export function processesMentioning(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue; // a zombie holds no resources
      const text = readFileSync(`/proc/${entry}/environ`, 'utf8') + readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (text.includes(needle)) found.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

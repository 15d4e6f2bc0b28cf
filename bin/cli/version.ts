/** The version of the installed pitstop package, read from its package.json. */
import { readFileSync } from 'node:fs';

/** The `version` of the nearest package.json named pitstop above this module. */
export function pitstopVersion(): string {
  for (let url = new URL('.', import.meta.url), depth = 0; depth < 6; url = new URL('..', url), depth++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pitstop' && pkg.version) return pkg.version;
    } catch {
      // not here: look one folder up
    }
  }
  return 'unknown';
}

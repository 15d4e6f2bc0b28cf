/** The installed pitstop package: its folder and its version, from its package.json. */
import { readFileSync } from 'node:fs';

/** The folder (as a file: URL ending in `/`) of the nearest package.json named pitstop above this module. */
export function packageRoot(): URL | undefined {
  for (let url = new URL('.', import.meta.url), depth = 0; depth < 6; url = new URL('..', url), depth++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string };
      if (pkg.name === 'pitstop') return url;
    } catch {
      // not here: look one folder up
    }
  }
  return undefined;
}

/** The package's version, or `unknown`. */
export function pitstopVersion(): string {
  const root = packageRoot();
  if (!root) return 'unknown';
  return (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version?: string }).version ?? 'unknown';
}

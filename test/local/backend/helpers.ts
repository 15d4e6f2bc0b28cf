/** A fresh local-mode root directory per test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates a temporary root; call the returned function to remove it. */
export function tempRoot(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'pitstop-backend-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

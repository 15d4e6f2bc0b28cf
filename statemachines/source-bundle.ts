/**
 * Packing a script directory as `sourcedir.tar.gz`, the way SageMaker's framework
 * containers want it: their training toolkit downloads `sagemaker_submit_directory`
 * and opens it as a gzipped tar (not a zip), with the entry point at its root.
 *
 * The archive is reproducible (sorted entries, fixed times, no owner names), so an
 * unchanged directory gives the same asset hash and no new upload at deploy.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as tar from 'tar';

/** Directories and files never packed (caches, VCS metadata). */
const SKIPPED = new Set(['__pycache__', '.git', '.pytest_cache', '.venv', 'node_modules', '.DS_Store']);

function listFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (SKIPPED.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...listFiles(root, path));
    else if (st.isFile()) out.push(relative(root, path).split('\\').join('/'));
  }
  return out;
}

/**
 * Packs `sourceDir` into `<outDir>/sourcedir.tar.gz`.
 * @returns the archive's path
 * @throws Error naming the directory when it does not exist or lacks the entry point
 */
export function packSourceDir(sourceDir: string, entryPoint: string, outDir?: string): string {
  const dir = resolve(sourceDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`training.sourceDir: expected a directory, got ${JSON.stringify(sourceDir)} (${dir} does not exist or is not a directory)`);
  }
  const files = listFiles(dir);
  if (!files.includes(entryPoint)) {
    throw new Error(`training.entryPoint: ${JSON.stringify(entryPoint)} is not a file of training.sourceDir ${dir} (it holds: ${files.join(', ') || 'nothing'})`);
  }
  const target = join(outDir ?? mkdtempSync(join(tmpdir(), 'pitstop-sourcedir-')), 'sourcedir.tar.gz');
  tar.create({ gzip: true, file: target, cwd: dir, sync: true, portable: true, noMtime: true }, files);
  return target;
}

/**
 * One timed benchmark phase, run in a child process of its own so that its peak
 * RSS is its own. Prints one JSON line: { phase, bytes, ms, maxRssBytes }.
 */
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { computeDrift } from '../lambdas/core/drift';
import { buildProfile, parseProfile } from '../lambdas/core/profile';
import { openTable } from '../lambdas/core/readers';
import { validateData } from '../lambdas/core/validation';
import { readFile } from 'node:fs/promises';
import { featureNames } from './generate';

async function rawPass(file: string): Promise<number> {
  // Reads the file and splits it into lines: the floor any reader has to pay.
  let lines = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines += parts.length;
  }
  return lines + (rest ? 1 : 0);
}

async function main(): Promise<void> {
  const [phase, data, profilePath, budgetArg] = process.argv.slice(2);
  if (!phase || !data) throw new Error('usage: phase.ts <raw|profile|drift|validate> <data> [profile.json] [budget]');
  const budget = budgetArg ? Number(budgetArg) : undefined;
  const bytes = (await stat(data)).size;
  const t0 = performance.now();
  let detail: unknown;
  switch (phase) {
    case 'raw':
      detail = { lines: await rawPass(data) };
      break;
    case 'profile': {
      const profile = await buildProfile(await openTable(data), { budget });
      await writeFile(profilePath!, JSON.stringify(profile));
      detail = { rows: profile.rowCount };
      break;
    }
    case 'drift': {
      const profile = parseProfile(JSON.parse(await readFile(profilePath!, 'utf8')), profilePath);
      const result = await computeDrift({
        reference: profile,
        current: await openTable(data, { captureFeatureNames: featureNames() }),
        budget,
      });
      detail = { driftedCount: result.driftedCount };
      break;
    }
    case 'validate': {
      const profile = parseProfile(JSON.parse(await readFile(profilePath!, 'utf8')), profilePath);
      const result = await validateData(await openTable(data), { baseline: profile });
      detail = { status: result.status, rows: result.rowCount };
      break;
    }
    default:
      throw new Error(`unknown phase ${phase}`);
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ phase, bytes, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail }) + '\n');
}

await main();

/**
 * Sorting many large Float64Arrays on two threads: the end-of-pass sort of every numeric
 * column's exact values (for KS, Wasserstein, quantiles and bins) is the largest single
 * cost of a profile or drift pass, and each column sorts on its own.
 *
 * The arrays a worker can sort in place are those backed by a SharedArrayBuffer (a
 * `ValueStore` allocates its large buffers so). The worker runs the source of
 * {@link radixSortFloat64} (evaluated, so no separate file has to be bundled); if it cannot
 * start, the calling thread sorts everything.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { radixSortFloat64, sortFloat64 } from './sort';

/** Below this many values in all, one thread sorts (a worker costs tens of milliseconds to start). */
export const PARALLEL_SORT_MIN_VALUES = 1 << 21;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// esbuild (tsx, bundles with keepNames) wraps named inner functions in __name(): without
// it here such a source would throw, and this thread would sort everything.
const __name = (fn) => fn;
const radixSortFloat64 = ${radixSortFloat64.toString()};
parentPort.once('message', (arrays) => {
  let scratch = new Uint32Array(0);
  for (const a of arrays) {
    if (scratch.length < 2 * a.length) scratch = new Uint32Array(2 * a.length);
    if (!radixSortFloat64(a, scratch)) a.sort();
  }
  parentPort.postMessage('done');
});
`;

/**
 * Sorts every array in place, ascending as `Float64Array.prototype.sort`, sharing the work
 * with one worker thread when there is more than one core and enough shared values.
 *
 * @returns how many values the worker sorted (0 when this thread sorted everything)
 */
export async function sortAllFloat64(arrays: readonly Float64Array[]): Promise<number> {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const shareable = arrays.filter((a) => a.buffer instanceof SharedArrayBuffer && (a.byteOffset & 7) === 0);
  if (total < PARALLEL_SORT_MIN_VALUES || shareable.length < 2 || availableParallelism() < 2) {
    for (const a of arrays) sortFloat64(a);
    return 0;
  }
  // The worker takes shared arrays, largest first, until it holds about half the values.
  const theirs = new Set<Float64Array>();
  let given = 0;
  for (const a of [...shareable].sort((x, y) => y.length - x.length)) {
    if (given + a.length > total / 2) continue;
    theirs.add(a);
    given += a.length;
  }
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true });
  } catch {
    for (const a of arrays) sortFloat64(a);
    return 0;
  }
  const done = new Promise<boolean>((resolve) => {
    worker.once('message', () => resolve(true));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  worker.postMessage([...theirs]);
  for (const a of arrays) if (!theirs.has(a)) sortFloat64(a);
  const ok = await done;
  await worker.terminate();
  // A worker that failed (e.g. could not evaluate its source) leaves its arrays to us.
  if (!ok) for (const a of theirs) sortFloat64(a);
  return ok ? given : 0;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InsufficientLabelsError, assembleDataset } from '../../../../lambdas/core/dataset';
import { openTable } from '../../../../lambdas/core/readers';
import { SCHEMA, captureLine, captureTable, scratch } from './fixtures';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  dir = await scratch();
});
afterEach(async () => {
  await dir.cleanup();
});

const HOUR = 3_600_000;
const START = Date.parse('2026-11-01T00:00:00Z');

/** n captured requests an hour apart from START, each labeled (label = i % 2), plus one unlabeled. */
async function production(n: number) {
  const lines = Array.from({ length: n }, (_, i) => captureLine({ eventId: `e${i}`, time: new Date(START + i * HOUR).toISOString(), features: `${20 + i},${i},basic` }));
  lines.push(captureLine({ eventId: 'nolabel', time: new Date(START).toISOString(), features: '1,1,basic' }));
  const truth = new Map(Array.from({ length: n }, (_, i) => [`e${i}`, [i % 2]] as const));
  return { capture: await captureTable(await dir.write('capture.jsonl', `${lines.join('\n')}\n`)), truth, range: { start: START, end: START + (n + 1) * HOUR } };
}

const history = async () => openTable(await dir.write('history.csv', 'age,tenure,plan,churned\n30,1,pro,0\n31,2,pro,1\n32,3,basic,0\n'));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('Function: assembleDataset', () => {
  it('trains on history plus the older production rows and holds out the newest, none of them in training', async () => {
    // Act
    const out = await assembleDataset({
      schema: SCHEMA,
      problemType: 'binary',
      history: await history(),
      production: await production(10),
      holdout: { kind: 'auto', fraction: 0.2, minRows: 2 },
      output: { format: 'csv', header: true },
    });

    // Assess: 3 history + 8 production rows train; the 2 newest (ages 28, 29) are the holdout
    expect(out.holdoutKind).toBe('recent');
    expect(out.rows).toEqual({ history: 3, production: 10, training: 11, holdout: 2 });
    const training = text(out.training.bytes).trim().split('\n');
    expect(training).toHaveLength(12);
    expect(training.slice(4).map((l) => l.split(',')[0])).toEqual(['20', '21', '22', '23', '24', '25', '26', '27']);
    expect(text(out.holdout!.bytes)).toBe('age,tenure,plan,churned\n28,8,basic,0\n29,9,basic,1\n');
    expect(out.holdoutRange).toEqual({ from: START + 8 * HOUR, to: START + 9 * HOUR });
    expect(out.dropped.unlabeled).toBe(1);
  });

  it('splits first and ends the history at the holdout start: no training row is as new as the oldest holdout row', async () => {
    // Prepare: 10 hourly requests from START; the holdout is the 2 newest (from START + 8 h, computed by hand).
    // History rows (ages 901..905) are dated START + 2, 7, 8, 9 and 12 h.
    const holdoutFrom = START + 8 * HOUR;
    const offsets = [2, 7, 8, 9, 12];
    const csv = `ts,age,tenure,plan,churned\n${offsets.map((h, i) => `${new Date(START + h * HOUR).toISOString()},${901 + i},1,pro,0`).join('\n')}\n`;
    const historyTable = await openTable(await dir.write('dated-history.csv', csv));

    // Act: a history window that ends later than the holdout's start
    const out = await assembleDataset({
      schema: SCHEMA,
      problemType: 'binary',
      history: historyTable,
      historyTime: { timestampColumn: 'ts', window: { start: START, end: START + 24 * HOUR } },
      production: await production(10),
      holdout: { kind: 'auto', fraction: 0.2, minRows: 2 },
      output: { format: 'csv', header: true },
    });

    // Assess: history rows strictly before START + 8 h train (ages 901, 902); the 3 others are left out
    expect(out.holdoutRange!.from).toBe(holdoutFrom);
    const ages = text(out.training.bytes).trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    expect(ages.filter((a) => a > 900)).toEqual([901, 902]);
    expect(out.dropped).toMatchObject({ historyAtOrAfterHoldout: 3, historyOutsideWindow: 0 });
    expect(out.rows.history).toBe(2);
  });

  it('falls back to the fixed holdout when no production row is labeled, and trains on the history alone', async () => {
    // Act
    const out = await assembleDataset({
      schema: SCHEMA,
      problemType: 'binary',
      history: await history(),
      holdout: { kind: 'auto', fraction: 0.2, minRows: 500 },
      output: { format: 'csv', header: false },
    });

    // Assess
    expect(out.holdoutKind).toBe('fixed');
    expect(out.holdout).toBeUndefined();
    expect(text(out.training.bytes)).toBe('0,30,1,pro\n1,31,2,pro\n0,32,3,basic\n');
  });

  it('trains on every production row with a fixed holdout', async () => {
    const out = await assembleDataset({
      schema: SCHEMA,
      problemType: 'binary',
      history: await history(),
      production: await production(10),
      holdout: { kind: 'fixed', fraction: 0.2, minRows: 500 },
      output: { format: 'csv', header: true },
    });
    expect(out.rows).toEqual({ history: 3, production: 10, training: 13, holdout: 0 });
  });

  it('stops with InsufficientLabels when the recent holdout is below minRows, telling the production rows left out by reason', async () => {
    // Act
    const error = await assembleDataset({
      schema: SCHEMA,
      problemType: 'binary',
      history: await history(),
      production: await production(10),
      holdout: { kind: 'recent', fraction: 0.2, minRows: 500 },
      output: { format: 'csv', header: true },
    }).catch((e: unknown) => e);

    // Assess: the one unlabeled capture is counted
    expect(error).toBeInstanceOf(InsufficientLabelsError);
    expect((error as InsufficientLabelsError).dropped).toEqual({ duplicate: 0, labelCount: 0, schema: 0, unlabeled: 1, historyOutsideWindow: 0, historyAtOrAfterHoldout: 0 });
  });
});

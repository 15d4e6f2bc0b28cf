import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTable } from '../../../lambdas/core/readers';
import { splitHoldout } from '../../../lambdas/core/transform-input';
import { requestBodies } from '../../../lambdas/smoke-test/request-rows';
import { InputError } from '../../../vocabulary/errors';
import { tempDir } from '../core/readers/helpers';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => dir.cleanup());

/**
 * A holdout with an id column, the label in the middle and the features in another
 * order than the config lists them (plan, age); one value with a leading space, one
 * with a comma.
 */
const HOLDOUT = ['id,age,churned,plan', 'c-1,34,1, basic', 'c-2,51,0,"pro,annual"', 'c-3,,0,basic', ''].join('\n');

describe('Function: requestBodies', () => {
  it("sends the config's features in the config's order, leaving the id and the label out", async () => {
    // Prepare
    const table = await openTable(await dir.write('a/holdout.csv', HOLDOUT));

    // Act
    const bodies = await requestBodies(table, 'churned', 3, ['plan', 'age']);

    // Assess: written by hand from HOLDOUT (RFC 4180: a field with a comma, or white space at an end, is quoted)
    expect(bodies).toEqual(['" basic",34', '"pro,annual",51', 'basic,']);
  });

  it('gives exactly the lines Prepare holdout writes for the gate, whatever the column order', async () => {
    // Prepare
    const source = await dir.write('b/holdout.csv', HOLDOUT);
    for (const features of [['plan', 'age'], ['age', 'plan'], ['id', 'plan', 'age'], []]) {
      // Act
      const bodies = await requestBodies(await openTable(source), 'churned', 3, features);
      const gate = await splitHoldout(await openTable(source), { label: 'churned', problemType: 'binary', features });

      // Assess
      expect(bodies).toEqual(gate.featuresCsv.trimEnd().split('\n'));
    }
  });

  it('repeats the rows in order when the holdout has fewer than asked', async () => {
    // Prepare
    const table = await openTable(await dir.write('c/holdout.csv', HOLDOUT));

    // Act
    const bodies = await requestBodies(table, 'churned', 5, ['age']);

    // Assess
    expect(bodies).toEqual(['34', '51', '""', '34', '51']);
  });

  it('names the file and the column when a listed feature or the label is absent', async () => {
    // Prepare
    const source = await dir.write('d/holdout.csv', HOLDOUT);

    // Act / Assess
    await expect(requestBodies(await openTable(source), 'churned', 2, ['plan', 'tenure'])).rejects.toThrow(InputError);
    await expect(requestBodies(await openTable(source), 'churned', 2, ['plan', 'tenure'])).rejects.toThrow(/tenure/);
    await expect(requestBodies(await openTable(source), 'label', 2, ['plan'])).rejects.toThrow(/label column is absent/);
  });

  it('refuses a holdout without rows', async () => {
    // Prepare
    const table = await openTable(await dir.write('e/holdout.csv', 'id,age,churned,plan\n'));

    // Act / Assess
    await expect(requestBodies(table, 'churned', 2, ['age'])).rejects.toThrow(/no rows/);
  });
});

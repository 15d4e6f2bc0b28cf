import { describe, expect, it } from 'vitest';
import { DISTRIBUTED_MAP_RESOURCE, asInterceptedTask, runDistributedMap, type ChildOutcome, type DistributedMapHost } from '../../local/distributed-map';

const STATE = {
  Type: 'Map',
  ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', 'Key.$': '$.key' } },
  ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'run.$': '$.run' },
  ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Pass', End: true } } },
  MaxConcurrency: 2,
  ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'results' } },
  Next: 'After',
};

/** A host over an in-memory bucket whose children fail for the items in `failing`, recording the most children running at once. */
function host(items: unknown, failing: readonly number[] = []) {
  const objects = new Map<string, string>([['s3://b/items.json', JSON.stringify(items)]]);
  let running = 0;
  let most = 0;
  const h: DistributedMapHost = {
    executionArn: 'arn:aws:states:us-east-1:1:execution:m:run-1',
    readObject: async (bucket, key) => {
      const body = objects.get(`s3://${bucket}/${key}`);
      if (body === undefined) throw new Error('NoSuchKey');
      return body;
    },
    writeObject: async (bucket, key, body) => void objects.set(`s3://${bucket}/${key}`, body),
    runChild: async (_definition, input): Promise<ChildOutcome> => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      const i = (input as { index: number }).index;
      return failing.includes(i) ? { status: 'FAILED', error: 'Boom', cause: `item ${i}` } : { status: 'SUCCEEDED', output: { done: i } };
    },
  };
  return { h, objects, most: () => most };
}

describe('Function: runDistributedMap', () => {
  it('runs one child per item with its selector, at most MaxConcurrency at once, and writes the documented result files', async () => {
    // Prepare
    const { h, objects, most } = host(['a', 'b', 'c', 'd', 'e']);

    // Act
    const out = (await runDistributedMap('Fan', STATE, STATE.ItemProcessor, { key: 'items.json', run: 'r1' }, h)) as any;

    // Assess
    expect(most()).toBe(2);
    const manifest = JSON.parse(objects.get(`s3://b/${out.ResultWriterDetails.Key}`)!);
    expect(out.ResultWriterDetails.Key).toMatch(/^results\/.+\/manifest\.json$/);
    expect(manifest).toMatchObject({ DestinationBucket: 'b', MapRunArn: out.MapRunArn, ResultFiles: { FAILED: [], PENDING: [] } });
    const results = JSON.parse(objects.get(`s3://b/${manifest.ResultFiles.SUCCEEDED[0].Key}`)!);
    expect(results.map((r: any) => [JSON.parse(r.Input), JSON.parse(r.Output), r.Status])).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((item, index) => [{ item, index, run: 'r1' }, { done: index }, 'SUCCEEDED']),
    );
  });

  it('fails with States.ExceedToleratedFailureThreshold naming the failed children, after writing the results', async () => {
    // Prepare
    const { h, objects } = host(['a', 'b', 'c'], [1]);

    // Act / Assess
    await expect(runDistributedMap('Fan', STATE, STATE.ItemProcessor, { key: 'items.json', run: 'r' }, h)).rejects.toMatchObject({
      name: 'States.ExceedToleratedFailureThreshold',
      message: expect.stringMatching(/1 of 3 child executions of Fan failed .*Boom: item 1/),
    });
    const failed = [...objects.keys()].find((k) => k.endsWith('FAILED_0.json'))!;
    expect(JSON.parse(objects.get(failed)!)).toEqual([expect.objectContaining({ Status: 'FAILED', Error: 'Boom', Cause: 'item 1' })]);
  });

  it('tolerates failures up to ToleratedFailurePercentage', async () => {
    // Prepare: 1 of 4 failed is 25 %
    const at = (percent: number) => ({ ...STATE, ToleratedFailurePercentage: percent });

    // Act / Assess
    await expect(runDistributedMap('Fan', at(25), STATE.ItemProcessor, { key: 'items.json', run: 'r' }, host([1, 2, 3, 4], [0]).h)).resolves.toHaveProperty('MapRunArn');
    await expect(runDistributedMap('Fan', at(24.9), STATE.ItemProcessor, { key: 'items.json', run: 'r' }, host([1, 2, 3, 4], [0]).h)).rejects.toThrow(/1 of 4/);
  });

  it('fails with States.ItemReaderFailed when the object holds no JSON array', async () => {
    await expect(runDistributedMap('Fan', STATE, STATE.ItemProcessor, { key: 'items.json', run: 'r' }, host({ not: 'an array' }).h)).rejects.toMatchObject({ name: 'States.ItemReaderFailed' });
  });
});

describe('Function: asInterceptedTask', () => {
  it("keeps the state's transitions and paths and becomes a Task of the executor's resource", () => {
    expect(asInterceptedTask({ ...STATE, ResultPath: '$.fanOut', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Err' }] })).toEqual({
      Type: 'Task',
      Resource: DISTRIBUTED_MAP_RESOURCE,
      Next: 'After',
      ResultPath: '$.fanOut',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Err' }],
    });
  });
});

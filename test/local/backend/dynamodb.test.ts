import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDynamoDB } from '../../../local/backend/dynamodb';
import { tempRoot } from './helpers';

let root: string;
let cleanup: () => void;
let ddb: LocalDynamoDB;
beforeEach(() => {
  ({ root, cleanup } = tempRoot());
  ddb = new LocalDynamoDB({ root });
});
afterEach(() => cleanup());

const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });
const table = 'locks';

describe('Function: LocalDynamoDB', () => {
  it('takes a lock once with attribute_not_exists(pk), then fails with ConditionalCheckFailedException', async () => {
    const put = () => ddb.PutItem({ TableName: table, Item: { pk: S('LOCK#churn'), executionId: S('e1') }, ConditionExpression: 'attribute_not_exists(pk)' });
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } });
  });

  it('deletes only when executionId = :me holds', async () => {
    await ddb.PutItem({ TableName: table, Item: { pk: S('LOCK#churn'), executionId: S('e1') } });
    const del = (me: string) =>
      ddb.DeleteItem({ TableName: table, Key: { pk: S('LOCK#churn') }, ConditionExpression: 'executionId = :me', ExpressionAttributeValues: { ':me': S(me) } });
    await expect(del('e2')).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await del('e1');
    expect(await ddb.GetItem({ TableName: table, Key: { pk: S('LOCK#churn') } })).toEqual({});
  });

  it('applies SET with arithmetic, if_not_exists, REMOVE and returns ALL_NEW', async () => {
    await ddb.PutItem({ TableName: table, Item: { pk: S('STATE#churn'), runs: N(2), stale: S('x'), nested: { M: { a: N(1) } } } });
    const out = await ddb.UpdateItem({
      TableName: table,
      Key: { pk: S('STATE#churn') },
      UpdateExpression: 'SET runs = runs + :one, #c = :cfg, initial = if_not_exists(initial, :cfg), nested.a = :one REMOVE stale',
      ExpressionAttributeNames: { '#c': 'endpointConfigName' },
      ExpressionAttributeValues: { ':one': N(1), ':cfg': S('cfg-2') },
      ReturnValues: 'ALL_NEW',
    });
    expect(out.Attributes).toEqual({ pk: S('STATE#churn'), runs: N(3), endpointConfigName: S('cfg-2'), initial: S('cfg-2'), nested: { M: { a: N(1) } } });
  });

  it('creates the item on UpdateItem when missing, and the right-hand sides read the old item', async () => {
    await ddb.UpdateItem({ TableName: table, Key: { pk: S('k') }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': N(1) } });
    await ddb.UpdateItem({ TableName: table, Key: { pk: S('k') }, UpdateExpression: 'SET b = a, a = :v', ExpressionAttributeValues: { ':v': N(5) } });
    expect((await ddb.GetItem({ TableName: table, Key: { pk: S('k') } })).Item).toEqual({ pk: S('k'), a: N(5), b: N(1) });
  });

  it('evaluates AND, OR, NOT, parentheses, comparisons and BETWEEN', async () => {
    await ddb.PutItem({ TableName: table, Item: { pk: S('k'), n: N(5), s: S('abc') } });
    const check = async (expr: string, values: Record<string, unknown>) => {
      try {
        await ddb.UpdateItem({ TableName: table, Key: { pk: S('k') }, UpdateExpression: 'SET touched = :t', ConditionExpression: expr, ExpressionAttributeValues: { ':t': N(1), ...values } });
        return true;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') return false;
        throw err;
      }
    };
    expect(await check('n > :a AND n < :b', { ':a': N(4), ':b': N(10) })).toBe(true);
    expect(await check('n >= :a', { ':a': N(6) })).toBe(false);
    expect(await check('NOT (n = :a) OR s = :b', { ':a': N(5), ':b': S('zzz') })).toBe(false);
    expect(await check('(n <> :a) AND attribute_exists(s)', { ':a': N(4) })).toBe(true);
    expect(await check('n BETWEEN :a AND :b', { ':a': N(5), ':b': N(5) })).toBe(true);
    expect(await check('s < :a', { ':a': S('abd') })).toBe(true);
    expect(await check('s = :a', { ':a': N(5) })).toBe(false); // different types never equal
    expect(await check('begins_with(s, :a) AND size(s) = :three', { ':a': S('ab'), ':three': N(3) })).toBe(true);
    expect(await check('missing < :a', { ':a': N(1) })).toBe(false);
  });

  it('rejects undefined, unused and reserved names as ValidationException', async () => {
    const update = (input: Record<string, unknown>) => ddb.UpdateItem({ TableName: table, Key: { pk: S('k') }, ...input });
    await expect(update({ UpdateExpression: 'SET a = :missing' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(update({ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': N(1), ':extra': N(2) } })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(':extra'),
    });
    await expect(update({ UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': N(1) } })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('reserved keyword'),
    });
    await expect(update({ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': S('x') } })).rejects.toMatchObject({
      message: expect.stringContaining('part of the key'),
    });
    await expect(ddb.PutItem({ TableName: table, Item: { pk: S('k'), executionId: 'not-an-attribute-value' } })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(update({ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { N: 'abc' } } })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(update({ UpdateExpression: 'SET a = :v,', ExpressionAttributeValues: { ':v': N(1) } })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('creates tables from the template and keeps items in a JSON file across instances', async () => {
    const names = ddb.createTablesFromTemplate({
      Resources: { LockTable: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } } },
    });
    expect(names).toEqual(['locktable']);
    await ddb.PutItem({ TableName: 'locktable', Item: { id: S('1'), v: N(1) } });
    await expect(ddb.PutItem({ TableName: 'locktable', Item: { pk: S('1') } })).rejects.toMatchObject({ message: expect.stringContaining('Missing the key id') });
    expect(new LocalDynamoDB({ root }).items('locktable')).toEqual([{ id: S('1'), v: N(1) }]);
    await expect(ddb.DescribeTable({ TableName: 'nothere' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('ADD increments numbers and unions sets', async () => {
    await ddb.UpdateItem({ TableName: table, Key: { pk: S('k') }, UpdateExpression: 'ADD c :two, tags :t', ExpressionAttributeValues: { ':two': N(2), ':t': { SS: ['a'] } } });
    await ddb.UpdateItem({ TableName: table, Key: { pk: S('k') }, UpdateExpression: 'ADD c :two, tags :t', ExpressionAttributeValues: { ':two': N(2), ':t': { SS: ['b', 'a'] } } });
    const item = (await ddb.GetItem({ TableName: table, Key: { pk: S('k') } })).Item as Record<string, { N?: string; SS?: string[] }>;
    expect(item.c).toEqual(N(4));
    expect(item.tags!.SS!.sort()).toEqual(['a', 'b']);
  });
});

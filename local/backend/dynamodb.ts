/**
 * Local DynamoDB: one JSON file per table under `<root>/dynamodb/`, with PutItem,
 * GetItem, UpdateItem and DeleteItem (condition and update expressions, see
 * dynamodb-expressions.ts), CreateTable/DescribeTable, and the tables of a
 * synthesized template. A table used before it was created is created on first use:
 * its key is the attribute(s) of the request's `Key`, or `pk` for a PutItem.
 */
import { join } from 'node:path';
import type { FakeEnvironment, SynthesizedTemplate } from '../asl';
import { fakeRef } from '../asl';
import {
  ExpressionError,
  parseCondition,
  parseUpdate,
  type AttributeValue,
  type ExpressionContext,
  type Item,
} from './dynamodb-expressions';
import { LocalAwsError } from './errors';
import { callAction, type LocalService } from './service';
import { readJsonFile, writeJsonFile } from './store';
import { environmentOf, resourcesOfType } from './template';

const SERVICE = 'dynamodb';

/** A key schema element. */
export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

interface TableFile {
  TableName: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
  CreationDateTime: string;
  Items: Record<string, Item>;
}

/** Options of {@link LocalDynamoDB}. */
export interface LocalDynamoDBOptions {
  /** Root directory of local mode (tables go to `<root>/dynamodb/<table>.json`). */
  readonly root: string;
  /** Account and region of table ARNs. @default 123456789012, us-east-1 */
  readonly env?: FakeEnvironment;
  /**
   * Key schema of a table first used by a PutItem.
   * @default [{ AttributeName: 'pk', KeyType: 'HASH' }]
   */
  readonly defaultKeySchema?: readonly KeySchemaElement[];
}

function ddbError(name: string, message: string): LocalAwsError {
  return new LocalAwsError(name, message, SERVICE);
}

function validation(message: string): LocalAwsError {
  return ddbError('ValidationException', message);
}

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/** Checks that every value is an AttributeValue (one known type key), as DynamoDB does. */
function checkAttributeValues(values: unknown, where: string): void {
  if (values === undefined) return;
  if (!values || typeof values !== 'object') throw validation(`expected ${where} to be a map of AttributeValues`);
  for (const [name, v] of Object.entries(values)) {
    const keys = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    if (keys.length !== 1 || !TYPES.has(keys[0]!)) {
      throw validation(`Supplied AttributeValue has invalid shape for ${where} ${name}: ${JSON.stringify(v)} (expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)`);
    }
    const type = keys[0]!;
    const inner = (v as Record<string, unknown>)[type];
    if (type === 'M') checkAttributeValues(inner, `${where} ${name}`);
    if (type === 'L') checkAttributeValues(Object.fromEntries((inner as unknown[]).map((x, i) => [String(i), x])), `${where} ${name}`);
    if (type === 'N' && (typeof inner !== 'string' || !Number.isFinite(Number(inner)))) {
      throw validation(`The parameter cannot be converted to a numeric value: ${JSON.stringify(inner)}`);
    }
    if (type === 'S' && typeof inner !== 'string') throw validation(`expected a string in ${where} ${name}, got ${JSON.stringify(inner)}`);
  }
}

/** Binary values: stored as base64 strings, returned as bytes. */
function encodeBinary(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(encodeBinary);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'B' && v instanceof Uint8Array ? Buffer.from(v).toString('base64') : encodeBinary(v)]),
    );
  }
  return value;
}

function decodeBinary(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBinary);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === 'B' && typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'base64')) : k === 'BS' && Array.isArray(v) ? v.map((b) => new Uint8Array(Buffer.from(String(b), 'base64'))) : decodeBinary(v),
      ]),
    );
  }
  return value;
}

/** The local DynamoDB service. */
export class LocalDynamoDB implements LocalService {
  public readonly serviceName = SERVICE;
  private readonly dir: string;
  private readonly env?: FakeEnvironment;
  private readonly defaultKeySchema: readonly KeySchemaElement[];

  public constructor(options: LocalDynamoDBOptions) {
    this.dir = join(options.root, 'dynamodb');
    this.env = options.env;
    this.defaultKeySchema = options.defaultKeySchema ?? [{ AttributeName: 'pk', KeyType: 'HASH' }];
  }

  public call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return callAction(this, SERVICE, action, input);
  }

  private file(table: string): string {
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) throw validation(`1 validation error detected: Value '${table}' at 'tableName' failed to satisfy constraint`);
    return join(this.dir, `${table}.json`);
  }

  private load(table: string): TableFile | undefined {
    return readJsonFile<TableFile | undefined>(this.file(table), undefined);
  }

  private save(table: TableFile): void {
    writeJsonFile(this.file(table.TableName), table);
  }

  private create(name: string, keySchema: readonly KeySchemaElement[], types: Record<string, string> = {}): TableFile {
    const table: TableFile = {
      TableName: name,
      KeySchema: [...keySchema],
      AttributeDefinitions: keySchema.map((k) => ({ AttributeName: k.AttributeName, AttributeType: types[k.AttributeName] ?? 'S' })),
      CreationDateTime: new Date().toISOString(),
      Items: {},
    };
    this.save(table);
    return table;
  }

  /** The table, created on first use from `key` (or the default key schema). */
  private table(name: unknown, key?: Item): TableFile {
    if (typeof name !== 'string') throw validation('The parameter TableName is required.');
    const existing = this.load(name);
    if (existing) return existing;
    const schema: KeySchemaElement[] = key
      ? Object.keys(key).map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? 'HASH' : 'RANGE' }))
      : [...this.defaultKeySchema];
    if (schema.length === 0 || schema.length > 2) throw validation('The provided key element does not match the schema');
    return this.create(name, schema);
  }

  private keyOf(table: TableFile, item: Item, what: 'key' | 'item'): string {
    if (what === 'key') checkAttributeValues(item, 'Key');
    const names = table.KeySchema.map((k) => k.AttributeName);
    if (what === 'key' && Object.keys(item).length !== names.length) throw validation('The provided key element does not match the schema');
    return JSON.stringify(
      names.map((n) => {
        const v = item[n];
        if (!v) throw validation(what === 'item' ? `One or more parameter values were invalid: Missing the key ${n} in the item` : 'The provided key element does not match the schema');
        const type = Object.keys(v)[0]!;
        if (!['S', 'N', 'B'].includes(type)) throw validation(`One or more parameter values were invalid: Type mismatch for key ${n}`);
        return [type, type === 'N' ? String(Number(v.N)) : v[type]];
      }),
    );
  }

  /** Runs `fn` with the request's placeholders, then rejects unused ones as DynamoDB does. */
  private withExpressions<T>(input: Record<string, unknown>, fn: (ctx: ExpressionContext) => T): T {
    checkAttributeValues(input.ExpressionAttributeValues, 'ExpressionAttributeValues');
    const ctx: ExpressionContext = {
      names: (input.ExpressionAttributeNames as Record<string, string> | undefined) ?? {},
      values: (encodeBinary(input.ExpressionAttributeValues) as Record<string, AttributeValue> | undefined) ?? {},
      used: new Set(),
    };
    let result: T;
    try {
      result = fn(ctx);
    } catch (err) {
      if (err instanceof ExpressionError) throw validation(err.message);
      throw err;
    }
    const unusedNames = Object.keys(ctx.names).filter((n) => !ctx.used.has(n));
    if (unusedNames.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(ctx.values).filter((v) => !ctx.used.has(v));
    if (unusedValues.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
    return result;
  }

  private check(condition: ((item: Item) => boolean) | undefined, item: Item | undefined, input: Record<string, unknown>): void {
    if (!condition) return;
    if (!condition(item ?? {})) {
      const err = ddbError('ConditionalCheckFailedException', 'The conditional request failed');
      if (input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && item) Object.assign(err, { Item: decodeBinary(item) });
      throw err;
    }
  }

  /** CreateTable (KeySchema and AttributeDefinitions; throughput settings are ignored). */
  public async CreateTable(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = String(input.TableName);
    if (this.load(name)) throw ddbError('ResourceInUseException', `Table already exists: ${name}`);
    const types = Object.fromEntries(((input.AttributeDefinitions as TableFile['AttributeDefinitions']) ?? []).map((d) => [d.AttributeName, d.AttributeType]));
    const table = this.create(name, (input.KeySchema as KeySchemaElement[]) ?? [], types);
    return { TableDescription: this.describe(table) };
  }

  private describe(table: TableFile): Record<string, unknown> {
    const e = environmentOf(this.env);
    return {
      TableName: table.TableName,
      TableArn: `arn:${e.partition}:dynamodb:${e.region}:${e.account}:table/${table.TableName}`,
      TableStatus: 'ACTIVE',
      KeySchema: table.KeySchema,
      AttributeDefinitions: table.AttributeDefinitions,
      ItemCount: Object.keys(table.Items).length,
      CreationDateTime: new Date(table.CreationDateTime),
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    };
  }

  /** DescribeTable; ResourceNotFoundException when the table was never created or used. */
  public async DescribeTable(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const table = this.load(String(input.TableName));
    if (!table) throw ddbError('ResourceNotFoundException', `Requested resource not found: Table: ${String(input.TableName)} not found`);
    return { Table: this.describe(table) };
  }

  /**
   * Creates the `AWS::DynamoDB::Table` resources of a synthesized template (named by
   * `TableName`, else by the name their `Ref` resolves to locally); existing tables are kept.
   * @returns the table names
   */
  public createTablesFromTemplate(template: SynthesizedTemplate): string[] {
    return resourcesOfType(template, 'AWS::DynamoDB::Table', this.env).map(({ logicalId, properties }) => {
      const name = typeof properties.TableName === 'string' ? properties.TableName : fakeRef(logicalId, 'AWS::DynamoDB::Table', this.env);
      if (!this.load(name)) {
        const types = Object.fromEntries(((properties.AttributeDefinitions as TableFile['AttributeDefinitions']) ?? []).map((d) => [d.AttributeName, d.AttributeType]));
        this.create(name, properties.KeySchema as KeySchemaElement[], types);
      }
      return name;
    });
  }

  /** PutItem with an optional ConditionExpression; `ReturnValues: ALL_OLD` returns the replaced item. */
  public async PutItem(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const item = encodeBinary(input.Item) as Item | undefined;
    if (!item || typeof item !== 'object') throw validation('The parameter Item is required.');
    checkAttributeValues(item, 'Item');
    const table = this.table(input.TableName);
    const key = this.keyOf(table, item, 'item');
    const old = table.Items[key];
    const condition = this.withExpressions(input, (ctx) =>
      typeof input.ConditionExpression === 'string' ? parseCondition(input.ConditionExpression, ctx) : undefined,
    );
    this.check(condition, old, input);
    table.Items[key] = item;
    this.save(table);
    return input.ReturnValues === 'ALL_OLD' && old ? { Attributes: decodeBinary(old) } : {};
  }

  /** GetItem; the response has no `Item` when there is none. ProjectionExpression selects top-level attributes. */
  public async GetItem(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const key = encodeBinary(input.Key) as Item;
    const table = this.table(input.TableName, key);
    const item = table.Items[this.keyOf(table, key, 'key')];
    const projection = this.withExpressions(input, (ctx) => {
      if (typeof input.ProjectionExpression !== 'string') return undefined;
      return input.ProjectionExpression.split(',').map((p) => {
        const name = p.trim().split(/[.[]/)[0]!;
        if (name.startsWith('#')) {
          if (ctx.names[name] === undefined) throw new ExpressionError(`An expression attribute name used in the document path is not defined; attribute name: ${name}`);
          ctx.used.add(name);
          return ctx.names[name]!;
        }
        return name;
      });
    });
    if (!item) return {};
    const selected = projection ? Object.fromEntries(Object.entries(item).filter(([k]) => projection.includes(k))) : item;
    return { Item: decodeBinary(selected) };
  }

  /** UpdateItem (creates the item when missing, like DynamoDB); ReturnValues NONE, ALL_OLD, ALL_NEW, UPDATED_OLD, UPDATED_NEW. */
  public async UpdateItem(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const keyItem = encodeBinary(input.Key) as Item;
    const table = this.table(input.TableName, keyItem);
    const key = this.keyOf(table, keyItem, 'key');
    const old = table.Items[key];
    const { condition, update } = this.withExpressions(input, (ctx) => ({
      update: typeof input.UpdateExpression === 'string' ? parseUpdate(input.UpdateExpression, ctx) : undefined,
      condition: typeof input.ConditionExpression === 'string' ? parseCondition(input.ConditionExpression, ctx) : undefined,
    }));
    if (!update) throw validation('The parameter UpdateExpression is required.');
    for (const k of table.KeySchema) {
      if (update.touched.includes(k.AttributeName)) {
        throw validation(`One or more parameter values were invalid: Cannot update attribute ${k.AttributeName}. This attribute is part of the key`);
      }
    }
    this.check(condition, old, input);
    let updated: Item;
    try {
      updated = update.apply({ ...(old ?? {}), ...keyItem });
    } catch (err) {
      if (err instanceof ExpressionError) throw validation(err.message);
      throw err;
    }
    table.Items[key] = updated;
    this.save(table);
    const pick = (item: Item | undefined) => Object.fromEntries(Object.entries(item ?? {}).filter(([k]) => update.touched.includes(k)));
    switch (input.ReturnValues) {
      case 'ALL_NEW':
        return { Attributes: decodeBinary(updated) };
      case 'ALL_OLD':
        return old ? { Attributes: decodeBinary(old) } : {};
      case 'UPDATED_NEW':
        return { Attributes: decodeBinary(pick(updated)) };
      case 'UPDATED_OLD':
        return old ? { Attributes: decodeBinary(pick(old)) } : {};
      default:
        return {};
    }
  }

  /** DeleteItem with an optional ConditionExpression (no error when the item is missing and there is no condition). */
  public async DeleteItem(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const keyItem = encodeBinary(input.Key) as Item;
    const table = this.table(input.TableName, keyItem);
    const key = this.keyOf(table, keyItem, 'key');
    const old = table.Items[key];
    const condition = this.withExpressions(input, (ctx) =>
      typeof input.ConditionExpression === 'string' ? parseCondition(input.ConditionExpression, ctx) : undefined,
    );
    this.check(condition, old, input);
    delete table.Items[key];
    this.save(table);
    return input.ReturnValues === 'ALL_OLD' && old ? { Attributes: decodeBinary(old) } : {};
  }

  /** Every item of a table (for the demo and tests), in key order. */
  public items(tableName: string): Item[] {
    const table = this.load(tableName);
    if (!table) return [];
    return Object.keys(table.Items)
      .sort()
      .map((k) => decodeBinary(table.Items[k]) as Item);
  }
}

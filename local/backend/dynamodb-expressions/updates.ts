/**
 * DynamoDB update expressions: SET with `+`/`-`, if_not_exists and list_append;
 * REMOVE; ADD; DELETE, applied to a copy of an item in AttributeValue format.
 */
import { getPath, operandValue, typeOf } from './conditions';
import { ExpressionError, Parser, tokenize, type AttributeValue, type ExpressionContext, type Item, type Operand, type Path } from './parser';
/** One action of an update expression. */
type UpdateAction =
  | { t: 'SET'; path: Path; value: Operand }
  | { t: 'REMOVE'; path: Path }
  | { t: 'ADD' | 'DELETE'; path: Path; value: Operand };

/** A parsed update expression: apply it to a copy of an item. */
export interface ParsedUpdate {
  /** Top-level attributes the expression changes. */
  readonly touched: readonly string[];
  /** The updated item (the input is not modified). */
  apply(item: Item): Item;
}

function setPath(item: Item, path: Path, value: AttributeValue | undefined): void {
  if (path.length === 1) {
    if (value === undefined) delete item[path[0] as string];
    else item[path[0] as string] = value;
    return;
  }
  const parent = getPath(item, path.slice(0, -1));
  const last = path.at(-1)!;
  if (typeof last === 'number') {
    const list = parent?.L as AttributeValue[] | undefined;
    if (!list) throw new ExpressionError('The document path provided in the update expression is invalid for update');
    if (value === undefined) {
      if (last < list.length) list.splice(last, 1);
    } else if (last >= list.length) list.push(value);
    else list[last] = value;
    return;
  }
  const map = parent?.M as Item | undefined;
  if (!map) throw new ExpressionError('The document path provided in the update expression is invalid for update');
  if (value === undefined) delete map[last];
  else map[last] = value;
}

/**
 * Parses an update expression (SET, REMOVE, ADD, DELETE clauses in any order, each at
 * most once). Right-hand sides read the item as it was before the update.
 * @throws ExpressionError on a syntax error, an undefined placeholder or a repeated clause
 */
export function parseUpdate(expression: string, ctx: ExpressionContext): ParsedUpdate {
  const parser = new Parser(tokenize(expression), ctx, expression);
  const actions: UpdateAction[] = [];
  const seen = new Set<string>();
  while (!parser.done()) {
    const clause = ['SET', 'REMOVE', 'ADD', 'DELETE'].find((c) => parser.isKeyword(c));
    if (clause === undefined) return parser.fail('expected SET, REMOVE, ADD or DELETE');
    if (seen.has(clause)) parser.fail(`The "${clause}" section can only be used once in an update expression`);
    seen.add(clause);
    parser.accept(clause);
    do {
      const path = parser.path();
      if (clause === 'SET') {
        parser.expect('=');
        actions.push({ t: 'SET', path, value: parser.setValue() });
      } else if (clause === 'REMOVE') actions.push({ t: 'REMOVE', path });
      else actions.push({ t: clause as 'ADD' | 'DELETE', path, value: parser.operand() });
    } while (parser.accept(','));
  }
  if (actions.length === 0) parser.fail('empty update expression');
  const tops = actions.map((a) => String(a.path[0]));
  const overlaps = actions.map((a) => JSON.stringify(a.path)).filter((p, i, all) => all.indexOf(p) !== i);
  if (overlaps.length) throw new ExpressionError(`Invalid UpdateExpression: Two document paths overlap with each other: ${overlaps[0]}`);
  return {
    touched: [...new Set(tops)],
    apply(original: Item): Item {
      const before = structuredClone(original);
      const item = structuredClone(original);
      const values = actions.map((a) => {
        if (a.t === 'REMOVE') return undefined;
        const v = operandValue(a.value, before);
        // DynamoDB: a SET whose value reads an attribute the item lacks fails the whole update.
        if (v === undefined && a.t === 'SET') throw new ExpressionError('The provided expression refers to an attribute that does not exist in the item');
        return v;
      });
      actions.forEach((a, i) => {
        const v = values[i];
        if (a.t === 'SET') setPath(item, a.path, v);
        else if (a.t === 'REMOVE') setPath(item, a.path, undefined);
        else {
          const current = getPath(item, a.path);
          const t = typeOf(v!);
          if (a.t === 'ADD' && t === 'N') {
            if (current && current.N === undefined) throw new ExpressionError('Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD');
            setPath(item, a.path, { N: String(Number(current?.N ?? 0) + Number(v!.N)) });
          } else if (t === 'SS' || t === 'NS' || t === 'BS') {
            if (current && current[t] === undefined) throw new ExpressionError(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ${a.t}`);
            const set = new Set(((current?.[t] as unknown[]) ?? []).map(String));
            for (const e of v![t] as unknown[]) {
              if (a.t === 'ADD') set.add(String(e));
              else set.delete(String(e));
            }
            setPath(item, a.path, set.size ? { [t]: [...set] } : undefined);
          } else {
            throw new ExpressionError(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ${a.t}`);
          }
        }
      });
      return item;
    },
  };
}

/**
 * DynamoDB condition expressions evaluated over items in AttributeValue format:
 * comparisons `= <> < <= > >=`, BETWEEN, IN, AND, OR, NOT, parentheses,
 * attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size.
 */
import { ExpressionError, Parser, tokenize, type AttributeValue, type Condition, type ExpressionContext, type Item, type Operand, type Path } from './parser';
/** The value at a path of an item, or undefined. */
export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = item[path[0] as string];
  for (const part of path.slice(1)) {
    if (!current) return undefined;
    if (typeof part === 'number') current = (current.L as AttributeValue[] | undefined)?.[part];
    else current = (current.M as Item | undefined)?.[part];
  }
  return current;
}

export function typeOf(v: AttributeValue): string {
  return Object.keys(v)[0]!;
}

function equal(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const va = a[ta];
  const vb = b[ta];
  if (ta === 'N') return Number(va) === Number(vb);
  if (ta === 'SS' || ta === 'NS' || ta === 'BS') {
    const norm = (x: unknown) => [...(x as unknown[]).map((e) => (ta === 'NS' ? String(Number(e)) : String(e)))].sort();
    return JSON.stringify(norm(va)) === JSON.stringify(norm(vb));
  }
  if (ta === 'M') {
    const ma = va as Item;
    const mb = vb as Item;
    const keys = Object.keys(ma);
    return keys.length === Object.keys(mb).length && keys.every((k) => equal(ma[k], mb[k]));
  }
  if (ta === 'L') {
    const la = va as AttributeValue[];
    const lb = vb as AttributeValue[];
    return la.length === lb.length && la.every((x, i) => equal(x, lb[i]));
  }
  return JSON.stringify(va) === JSON.stringify(vb);
}

/** Orders two scalars of one type (S, N, B); undefined when they cannot be ordered. */
function order(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (!a || !b) return undefined;
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  if (ta === 'N') return Number(a.N) - Number(b.N);
  if (ta === 'S') return Buffer.compare(Buffer.from(String(a.S)), Buffer.from(String(b.S)));
  if (ta === 'B') return Buffer.compare(Buffer.from(String(a.B)), Buffer.from(String(b.B)));
  return undefined;
}

function sizeOf(v: AttributeValue | undefined): number | undefined {
  if (!v) return undefined;
  const t = typeOf(v);
  const x = v[t];
  if (t === 'S') return Buffer.byteLength(String(x));
  if (t === 'B') return Buffer.from(String(x), 'base64').length;
  if (t === 'M') return Object.keys(x as object).length;
  if (t === 'L' || t === 'SS' || t === 'NS' || t === 'BS') return (x as unknown[]).length;
  return undefined;
}

export function operandValue(op: Operand, item: Item): AttributeValue | undefined {
  switch (op.t) {
    case 'path':
      return getPath(item, op.path);
    case 'value':
      return op.value;
    case 'size': {
      const n = sizeOf(getPath(item, op.path));
      return n === undefined ? undefined : { N: String(n) };
    }
    case 'if_not_exists':
      return getPath(item, op.path) ?? operandValue(op.fallback, item);
    case 'list_append': {
      const a = operandValue(op.a, item);
      const b = operandValue(op.b, item);
      if (!a?.L || !b?.L) throw new ExpressionError('Invalid UpdateExpression: list_append takes two lists');
      return { L: [...(a.L as AttributeValue[]), ...(b.L as AttributeValue[])] };
    }
    case 'arith': {
      const a = operandValue(op.a, item);
      const b = operandValue(op.b, item);
      if (a?.N === undefined || b?.N === undefined) {
        throw new ExpressionError('Invalid UpdateExpression: An operand in the update expression has an incorrect data type');
      }
      const r = op.op === '+' ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N);
      return { N: String(r) };
    }
  }
}

function test(c: Condition, item: Item): boolean {
  switch (c.t) {
    case 'or':
      return test(c.a, item) || test(c.b, item);
    case 'and':
      return test(c.a, item) && test(c.b, item);
    case 'not':
      return !test(c.a, item);
    case 'cmp': {
      const l = operandValue(c.l, item);
      const r = operandValue(c.r, item);
      if (c.op === '=') return equal(l, r);
      if (c.op === '<>') return !equal(l, r);
      const o = order(l, r);
      if (o === undefined) return false;
      return c.op === '<' ? o < 0 : c.op === '<=' ? o <= 0 : c.op === '>' ? o > 0 : o >= 0;
    }
    case 'between': {
      const v = operandValue(c.v, item);
      const lo = order(v, operandValue(c.lo, item));
      const hi = order(v, operandValue(c.hi, item));
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'in': {
      const v = operandValue(c.v, item);
      return c.list.some((x) => equal(v, operandValue(x, item)));
    }
    case 'fn': {
      const target = operandValue(c.args[0]!, item);
      const arg = c.args[1] ? operandValue(c.args[1], item) : undefined;
      switch (c.name) {
        case 'attribute_exists':
          return target !== undefined;
        case 'attribute_not_exists':
          return target === undefined;
        case 'attribute_type':
          return target !== undefined && arg?.S !== undefined && typeOf(target) === arg.S;
        case 'begins_with':
          return target?.S !== undefined && arg?.S !== undefined && String(target.S).startsWith(String(arg.S));
        case 'contains': {
          if (!target || !arg) return false;
          const t = typeOf(target);
          if (t === 'S') return arg.S !== undefined && String(target.S).includes(String(arg.S));
          if (t === 'SS' || t === 'NS' || t === 'BS') return (target[t] as unknown[]).map(String).includes(String(arg[t.slice(0, 1)]));
          if (t === 'L') return (target.L as AttributeValue[]).some((e) => equal(e, arg));
          return false;
        }
      }
      return false;
    }
  }
}

/**
 * Parses a condition expression into a predicate over items.
 * @throws ExpressionError on a syntax error or an undefined placeholder
 */
export function parseCondition(expression: string, ctx: ExpressionContext): (item: Item) => boolean {
  const parser = new Parser(tokenize(expression), ctx, expression);
  const condition = parser.condition();
  if (!parser.done()) parser.fail('unexpected token');
  return (item) => test(condition, item);
}

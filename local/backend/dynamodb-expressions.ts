/**
 * DynamoDB expressions: a tokenizer and recursive-descent parser for condition
 * expressions (comparisons `= <> < <= > >=`, BETWEEN, IN, AND, OR, NOT, parentheses,
 * attribute_exists, attribute_not_exists, attribute_type, begins_with, contains,
 * size) and update expressions (SET with `+`/`-`, if_not_exists and list_append;
 * REMOVE; ADD; DELETE), evaluated over items in AttributeValue format.
 *
 * Names and values come from ExpressionAttributeNames/Values; an undefined placeholder
 * and a bare name that is a reserved word (a subset of DynamoDB's list) are
 * ValidationExceptions, as in DynamoDB. {@link ExpressionContext.used} records the
 * placeholders used so the caller can reject unused ones like DynamoDB does.
 */

/** An AttributeValue: `{ S }`, `{ N }`, `{ BOOL }`, `{ NULL }`, `{ M }`, `{ L }`, `{ SS }`, `{ NS }`, `{ B }`, `{ BS }`. */
export type AttributeValue = Record<string, unknown>;
/** An item: attribute name → AttributeValue. */
export type Item = Record<string, AttributeValue>;

/** A syntax or reference error of an expression (the caller turns it into a ValidationException). */
export class ExpressionError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** Placeholders of a request, and the ones its expressions used. */
export interface ExpressionContext {
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, AttributeValue>>;
  readonly used: Set<string>;
}

/** Bare attribute names DynamoDB rejects (a subset of its reserved words). */
const RESERVED = new Set(
  (
    'ABORT ABSOLUTE ACTION ADD AFTER AGENT ALL ALLOCATE ALTER AND ANY ARCHIVE ARE ARRAY AS ASC AT ATTRIBUTES AUTHORIZATION ' +
    'BETWEEN BIGINT BINARY BIT BLOB BOOLEAN BOTH BUCKET BY CALL CASCADE CASE CAST CATALOG CHAR CHECK CLUSTER COLUMN COLUMNS ' +
    'COMMENT COMMIT CONDITION CONNECT CONNECTION CONSTRAINT COUNT CREATE CROSS CURRENT CURSOR CYCLE DATA DATABASE DATE DAY ' +
    'DEFAULT DELETE DESC DESCRIBE DOUBLE DROP DUMP DURATION EACH ELEMENT ELSE END ESCAPE EXISTS EXIT FALSE FETCH FILTER FIRST ' +
    'FLOAT FOR FORMAT FROM FULL FUNCTION GET GLOBAL GO GROUP HASH HOUR IF IGNORE IN INDEX INSERT INT INTEGER INTO IS ITEM ' +
    'ITEMS JOIN KEY KEYS LANGUAGE LAST LEVEL LIMIT LIST LOCAL LOCATION LOCK LOG MAP MATCH MAX MEMBER MIN MINUTE MODE MONTH ' +
    'NAME NAMES NEW NEXT NO NONE NOT NULL NUMBER OBJECT OF OFFSET OLD ON ONLY OPEN OPTION OR ORDER OUTER OWNER PARTITION PATH ' +
    'PERCENT PLAN POSITION PRIMARY PRIVATE PUBLIC QUERY RANGE READ REAL REFERENCE REGION RELATIVE REMOVE RENAME REPLACE RESULT ' +
    'RETURN RETURNING ROLE ROLLBACK ROW ROWS SCHEMA SCAN SECOND SECTION SELECT SESSION SET SIZE SOURCE START STATE STATUS ' +
    'STORAGE STRING SUM SYSTEM TABLE TEMPORARY THEN TIME TIMESTAMP TO TOKEN TOTAL TRUE TTL TYPE UNDO UNION UNIQUE UPDATE USER ' +
    'USERS USING VALUE VALUES VIEW WHEN WHERE WITH WORK YEAR ZONE'
  ).split(' '),
);

type Token = { kind: 'name' | 'nameRef' | 'valueRef' | 'number' | 'punct'; text: string; at: number };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(<>|<=|>=|[=<>(),.[\]+-]))/y;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(expression);
    if (!m) throw new ExpressionError(`Invalid expression: syntax error at position ${at + 1} near "${expression.slice(at, at + 10).trim()}"`);
    const kind = m[1] ? 'nameRef' : m[2] ? 'valueRef' : m[3] ? 'name' : m[4] ? 'number' : 'punct';
    tokens.push({ kind, text: (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5])!, at: m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5])!.length });
    at = re.lastIndex;
  }
  return tokens;
}

type Path = Array<string | number>;
type Operand =
  | { t: 'path'; path: Path }
  | { t: 'value'; value: AttributeValue }
  | { t: 'size'; path: Path }
  | { t: 'if_not_exists'; path: Path; fallback: Operand }
  | { t: 'list_append'; a: Operand; b: Operand }
  | { t: 'arith'; op: '+' | '-'; a: Operand; b: Operand };
type Condition =
  | { t: 'or' | 'and'; a: Condition; b: Condition }
  | { t: 'not'; a: Condition }
  | { t: 'cmp'; op: string; l: Operand; r: Operand }
  | { t: 'between'; v: Operand; lo: Operand; hi: Operand }
  | { t: 'in'; v: Operand; list: Operand[] }
  | { t: 'fn'; name: string; args: Operand[] };

class Parser {
  private i = 0;
  public constructor(
    private readonly tokens: Token[],
    private readonly ctx: ExpressionContext,
    private readonly source: string,
  ) {}

  public peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  public done(): boolean {
    return this.i >= this.tokens.length;
  }
  public fail(what: string): never {
    const t = this.peek();
    throw new ExpressionError(`Invalid expression "${this.source}": ${what}${t ? ` at "${t.text}" (position ${t.at + 1})` : ' at the end'}`);
  }
  public isKeyword(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'name' && t.text.toUpperCase() === word;
  }
  public accept(text: string): boolean {
    const t = this.peek();
    if (t && (t.kind === 'punct' ? t.text === text : t.kind === 'name' && t.text.toUpperCase() === text)) {
      this.i += 1;
      return true;
    }
    return false;
  }
  public expect(text: string): void {
    if (!this.accept(text)) this.fail(`expected "${text}"`);
  }

  private nameOf(t: Token): string {
    if (t.kind === 'nameRef') {
      const name = this.ctx.names[t.text];
      if (name === undefined) throw new ExpressionError(`An expression attribute name used in the document path is not defined; attribute name: ${t.text}`);
      this.ctx.used.add(t.text);
      return name;
    }
    if (RESERVED.has(t.text.toUpperCase())) {
      throw new ExpressionError(`Invalid expression "${this.source}": Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    }
    return t.text;
  }

  public path(): Path {
    const first = this.peek();
    if (!first || (first.kind !== 'name' && first.kind !== 'nameRef')) this.fail('expected an attribute name');
    this.i += 1;
    const path: Path = [this.nameOf(first)];
    for (;;) {
      if (this.accept('.')) {
        const t = this.peek();
        if (!t || (t.kind !== 'name' && t.kind !== 'nameRef')) this.fail('expected an attribute name after "."');
        this.i += 1;
        path.push(this.nameOf(t));
      } else if (this.accept('[')) {
        const t = this.peek();
        if (t?.kind !== 'number') this.fail('expected a list index');
        this.i += 1;
        path.push(Number(t.text));
        this.expect(']');
      } else return path;
    }
  }

  private value(): Operand {
    const t = this.peek()!;
    this.i += 1;
    const v = this.ctx.values[t.text];
    if (v === undefined) throw new ExpressionError(`An expression attribute value used in expression is not defined; attribute value: ${t.text}`);
    this.ctx.used.add(t.text);
    return { t: 'value', value: v };
  }

  /** An operand of a condition: path, value or size(path). */
  public operand(): Operand {
    const t = this.peek();
    if (!t) this.fail('expected an operand');
    if (t.kind === 'valueRef') return this.value();
    if (t.kind === 'name' && t.text === 'size' && this.peek(1)?.text === '(') {
      this.i += 2;
      const path = this.path();
      this.expect(')');
      return { t: 'size', path };
    }
    return { t: 'path', path: this.path() };
  }

  /** An operand of a SET value: path, value, if_not_exists(path, v), list_append(a, b). */
  public setOperand(): Operand {
    const t = this.peek();
    if (t?.kind === 'name' && this.peek(1)?.text === '(') {
      if (t.text === 'if_not_exists') {
        this.i += 2;
        const path = this.path();
        this.expect(',');
        const fallback = this.setOperand();
        this.expect(')');
        return { t: 'if_not_exists', path, fallback };
      }
      if (t.text === 'list_append') {
        this.i += 2;
        const a = this.setOperand();
        this.expect(',');
        const b = this.setOperand();
        this.expect(')');
        return { t: 'list_append', a, b };
      }
      this.fail(`unknown function ${t.text} in SET`);
    }
    if (t?.kind === 'valueRef') return this.value();
    return { t: 'path', path: this.path() };
  }

  public setValue(): Operand {
    const a = this.setOperand();
    const t = this.peek();
    if (t?.kind === 'punct' && (t.text === '+' || t.text === '-')) {
      this.i += 1;
      return { t: 'arith', op: t.text, a, b: this.setOperand() };
    }
    return a;
  }

  public condition(): Condition {
    let a = this.conjunction();
    while (this.accept('OR')) a = { t: 'or', a, b: this.conjunction() };
    return a;
  }
  private conjunction(): Condition {
    let a = this.negation();
    while (this.accept('AND')) a = { t: 'and', a, b: this.negation() };
    return a;
  }
  private negation(): Condition {
    if (this.accept('NOT')) return { t: 'not', a: this.negation() };
    return this.primary();
  }
  private primary(): Condition {
    if (this.accept('(')) {
      const c = this.condition();
      this.expect(')');
      return c;
    }
    const t = this.peek();
    const fns = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'];
    if (t?.kind === 'name' && fns.includes(t.text) && this.peek(1)?.text === '(') {
      this.i += 2;
      const args: Operand[] = [{ t: 'path', path: this.path() }];
      while (this.accept(',')) args.push(this.operand());
      this.expect(')');
      const arity = t.text.startsWith('attribute_') && t.text !== 'attribute_type' ? 1 : 2;
      if (args.length !== arity) this.fail(`${t.text} takes ${arity} argument(s)`);
      return { t: 'fn', name: t.text, args };
    }
    const l = this.operand();
    if (this.accept('BETWEEN')) {
      const lo = this.operand();
      this.expect('AND');
      return { t: 'between', v: l, lo, hi: this.operand() };
    }
    if (this.accept('IN')) {
      this.expect('(');
      const list = [this.operand()];
      while (this.accept(',')) list.push(this.operand());
      this.expect(')');
      return { t: 'in', v: l, list };
    }
    const op = this.peek();
    if (op?.kind === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(op.text)) {
      this.i += 1;
      return { t: 'cmp', op: op.text, l, r: this.operand() };
    }
    return this.fail('expected a comparison, BETWEEN, IN or a function');
  }
}

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

function typeOf(v: AttributeValue): string {
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

function operandValue(op: Operand, item: Item): AttributeValue | undefined {
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

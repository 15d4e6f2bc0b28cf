/**
 * DynamoDB expressions, the parser: a tokenizer and recursive-descent parser for
 * condition and update expressions, resolving ExpressionAttributeNames/Values as it
 * goes. An undefined placeholder and a bare name that is a reserved word (a subset of
 * DynamoDB's list) are ValidationExceptions, as in DynamoDB.
 * {@link ExpressionContext.used} records the placeholders used so the caller can
 * reject unused ones like DynamoDB does.
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

export function tokenize(expression: string): Token[] {
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

export type Path = Array<string | number>;
export type Operand =
  | { t: 'path'; path: Path }
  | { t: 'value'; value: AttributeValue }
  | { t: 'size'; path: Path }
  | { t: 'if_not_exists'; path: Path; fallback: Operand }
  | { t: 'list_append'; a: Operand; b: Operand }
  | { t: 'arith'; op: '+' | '-'; a: Operand; b: Operand };
export type Condition =
  | { t: 'or' | 'and'; a: Condition; b: Condition }
  | { t: 'not'; a: Condition }
  | { t: 'cmp'; op: string; l: Operand; r: Operand }
  | { t: 'between'; v: Operand; lo: Operand; hi: Operand }
  | { t: 'in'; v: Operand; list: Operand[] }
  | { t: 'fn'; name: string; args: Operand[] };

export class Parser {
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

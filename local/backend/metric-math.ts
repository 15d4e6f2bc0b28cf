/**
 * The small part of CloudWatch metric math local mode supports: arithmetic
 * (`+ - * /`, unary minus, parentheses) over numbers and the ids of other queries.
 * Between two series the operation applies per timestamp present in both; a series
 * and a scalar combine point by point. Non-finite results (division by zero) are
 * dropped, as CloudWatch leaves such points empty.
 */

/** A time series: timestamps (epoch ms) and values of equal length. */
export interface Series {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

type Value = number | Series;

function combine(a: Value, b: Value, op: (x: number, y: number) => number): Value {
  if (typeof a === 'number' && typeof b === 'number') return op(a, b);
  const points = (s: Series) => new Map(s.timestamps.map((t, i) => [t, s.values[i]!]));
  const ts: number[] = [];
  const vs: number[] = [];
  if (typeof a === 'number' || typeof b === 'number') {
    const series = (typeof a === 'number' ? b : a) as Series;
    series.timestamps.forEach((t, i) => {
      const v = typeof a === 'number' ? op(a, series.values[i]!) : op(series.values[i]!, b as number);
      if (Number.isFinite(v)) {
        ts.push(t);
        vs.push(v);
      }
    });
    return { timestamps: ts, values: vs };
  }
  const right = points(b);
  a.timestamps.forEach((t, i) => {
    if (!right.has(t)) return;
    const v = op(a.values[i]!, right.get(t)!);
    if (Number.isFinite(v)) {
      ts.push(t);
      vs.push(v);
    }
  });
  return { timestamps: ts, values: vs };
}

/**
 * Evaluates an arithmetic expression over named series.
 * @throws Error naming the position of a syntax error or an unknown id
 */
export function evaluateExpression(expression: string, series: ReadonlyMap<string, Series>): Value {
  const tokens = expression.match(/\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/()]|\S)/g) ?? [];
  const list = tokens.map((t) => t.trim());
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`metric math "${expression}": ${what} at token ${i + 1}`);
  };
  const primary = (): Value => {
    const t = list[i];
    if (t === undefined) return fail('unexpected end');
    i += 1;
    if (t === '(') {
      const v = sum();
      if (list[i] !== ')') fail('expected )');
      i += 1;
      return v;
    }
    if (t === '-') return combine(-1, primary(), (x, y) => x * y);
    if (/^\d/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) {
      const s = series.get(t);
      if (!s) return fail(`unknown id ${t} (only arithmetic over query ids is supported locally)`);
      return s;
    }
    return fail(`unexpected ${t}`);
  };
  const product = (): Value => {
    let v = primary();
    while (list[i] === '*' || list[i] === '/') {
      const op = list[i++];
      const r = primary();
      v = combine(v, r, op === '*' ? (x, y) => x * y : (x, y) => x / y);
    }
    return v;
  };
  const sum = (): Value => {
    let v = product();
    while (list[i] === '+' || list[i] === '-') {
      const op = list[i++];
      const r = product();
      v = combine(v, r, op === '+' ? (x, y) => x + y : (x, y) => x - y);
    }
    return v;
  };
  const result = sum();
  if (i < list.length) fail(`unexpected ${list[i]}`);
  return result;
}

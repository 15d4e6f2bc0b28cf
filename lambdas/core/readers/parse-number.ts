/**
 * Number parsing for the hot loop of column accumulation.
 *
 * `parseNumber` has a fast path for plain decimals (`-12.345`, up to 15 significant
 * digits, no exponent): it builds the integer mantissa exactly and divides once by an
 * exact power of ten, which IEEE 754 rounds correctly, so the result is bit-identical to
 * `Number(s)` without allocating. Everything else (exponents, long mantissas, leading
 * `+`, surrounding blanks) goes through a strict grammar check and `Number`.
 */

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Decimal literal grammar accepted on the slow path (no hex, no `_`, no `Infinity`). */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Tokens that mean a non-finite number; bad input in a numeric column. */
const NON_FINITE = /^\s*[+-]?(?:nan|inf|infinity)\s*$/i;

/**
 * Parses a decimal number. Returns `NaN` when `s` is not a finite decimal number
 * (including `"NaN"`, `"Infinity"`, `"inf"` and literals that overflow to infinity);
 * use {@link isNonFiniteToken} on that path to tell bad numbers from text.
 */
export function parseNumber(s: string): number {
  const n = s.length;
  let i = 0;
  let c = n > 0 ? s.charCodeAt(0) : 0;
  const neg = c === 45; // '-'
  if (neg) i = 1;
  // Integer and fraction digits in two short dependency chains, joined exactly below.
  let ip = 0;
  let id = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    ip = ip * 10 + (c - 48);
    id++;
  }
  let fp = 0;
  let fd = 0;
  if (i < n && c === 46) {
    // '.'
    for (i++; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      fp = fp * 10 + (c - 48);
      fd++;
    }
  }
  const digits = id + fd;
  if (i === n && digits > 0 && digits <= 15) {
    // mantissa < 10^15 < 2^53: exact; one correctly rounded division
    const v = fd === 0 ? ip : (ip * POW10[fd]! + fp) / POW10[fd]!;
    return neg ? -v : v;
  }
  return parseNumberSlow(s);
}

function parseNumberSlow(s: string): number {
  if (!DECIMAL.test(s)) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

/**
 * True for text that denotes a non-finite number: `NaN`, `inf`, `Infinity` (any case,
 * optional sign) and decimal literals that overflow (`1e999`).
 */
export function isNonFiniteToken(s: string): boolean {
  return NON_FINITE.test(s) || (DECIMAL.test(s) && !Number.isFinite(Number(s)));
}

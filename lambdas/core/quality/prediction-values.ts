/**
 * A model's answer to one request, as numbers: the body SageMaker returns from
 * InvokeEndpoint, one line of a batch transform `.out` file, or a captured output.
 */

/**
 * Parses a model output into its numbers: CSV (`0.83` or `0.17,0.83`), a JSON number,
 * or a JSON array of numbers (`[0.17, 0.83]`, or `[[0.17, 0.83]]` for one instance).
 *
 * @returns the values, or undefined when the text holds anything else (empty text, a
 *   word, NaN, Infinity, an object)
 */
export function parsePredictionValues(text: string): number[] | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      return undefined;
    }
    if (Array.isArray(value) && value.length === 1 && Array.isArray(value[0])) value = value[0];
    if (!Array.isArray(value) || value.length === 0) return undefined;
    return value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (value as number[]) : undefined;
  }
  const out: number[] = [];
  for (const part of t.split(',')) {
    const x = parseStrictNumber(part);
    if (x === undefined) return undefined;
    out.push(x);
  }
  return out;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number (surrounding spaces ignored), or undefined. */
export function parseStrictNumber(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const x = Number(t);
  return Number.isFinite(x) ? x : undefined;
}

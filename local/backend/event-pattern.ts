/**
 * EventBridge event patterns and input transformers, as pure functions.
 *
 * Matching follows the EventBridge rules: every field of the pattern must match; an
 * array lists alternatives (when the event value is an array, any element may match);
 * a nested object matches a nested object. Content filters supported: `prefix`,
 * `suffix`, `anything-but` (values or `{ prefix }`), `numeric`, `exists`,
 * `equals-ignore-case` and `wildcard`.
 */

type Json = unknown;

function matchesFilter(filter: Json, value: Json, present: boolean): boolean {
  if (filter === null || typeof filter !== 'object') return present && (Array.isArray(value) ? value.some((v) => v === filter) : value === filter);
  const f = filter as Record<string, Json>;
  const values = Array.isArray(value) ? value : [value];
  if ('exists' in f) return f.exists === present;
  if (!present) return false;
  if ('prefix' in f) return values.some((v) => typeof v === 'string' && v.startsWith(String(f.prefix)));
  if ('suffix' in f) return values.some((v) => typeof v === 'string' && v.endsWith(String(f.suffix)));
  if ('equals-ignore-case' in f) return values.some((v) => typeof v === 'string' && v.toLowerCase() === String(f['equals-ignore-case']).toLowerCase());
  if ('wildcard' in f) {
    const re = new RegExp(`^${String(f.wildcard).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return values.some((v) => typeof v === 'string' && re.test(v));
  }
  if ('anything-but' in f) {
    const but = f['anything-but'];
    if (but && typeof but === 'object' && !Array.isArray(but) && 'prefix' in but) {
      return values.every((v) => !(typeof v === 'string' && v.startsWith(String((but as Record<string, Json>).prefix))));
    }
    const excluded = Array.isArray(but) ? but : [but];
    return values.every((v) => !excluded.includes(v));
  }
  if ('numeric' in f) {
    const spec = f.numeric as Json[];
    return values.some((v) => {
      if (typeof v !== 'number') return false;
      for (let i = 0; i + 1 < spec.length; i += 2) {
        const op = spec[i];
        const n = Number(spec[i + 1]);
        const ok = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : false;
        if (!ok) return false;
      }
      return true;
    });
  }
  throw new Error(`unsupported event pattern filter ${JSON.stringify(filter)}`);
}

/** Whether an event matches an EventBridge event pattern. */
export function matchesPattern(pattern: Record<string, Json>, event: Record<string, Json>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const present = Object.prototype.hasOwnProperty.call(event, key) && event[key] !== undefined;
    const value = event[key];
    if (Array.isArray(expected)) return expected.some((f) => matchesFilter(f, value, present));
    if (expected && typeof expected === 'object') {
      return present && value !== null && typeof value === 'object' && !Array.isArray(value) && matchesPattern(expected as Record<string, Json>, value as Record<string, Json>);
    }
    throw new Error(`expected an array or an object for event pattern field ${key}, got ${JSON.stringify(expected)}`);
  });
}

/**
 * Reads a simple JSONPath (`$`, `$.a.b`, `$.a[0]`, `$.detail['x-y']`) from a value.
 * @returns undefined when the path does not exist
 */
export function readPath(value: Json, path: string): Json {
  if (path === '$') return value;
  if (!path.startsWith('$')) throw new Error(`expected a JSONPath starting with $, got ${path}`);
  const parts = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]/g)].map((m) => m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
  let current: Json = value;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[part];
  }
  return current;
}

/** Variables EventBridge defines for every input template. */
function predefined(event: Record<string, Json>, ruleName: string, ruleArn: string): Record<string, Json> {
  return {
    'aws.events.rule-arn': ruleArn,
    'aws.events.rule-name': ruleName,
    'aws.events.event.ingestion-time': event.time ?? new Date().toISOString(),
    'aws.events.event': event,
    'aws.events.event.json': event,
  };
}

/**
 * Applies an input transformer. A placeholder `<name>` inside a JSON string is
 * replaced by the value's text; outside quotes by the value as JSON (a missing path
 * gives `null`). The result is parsed as JSON when it is JSON, else kept as text.
 */
export function applyInputTransformer(
  transformer: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string },
  event: Record<string, Json>,
  rule: { readonly name: string; readonly arn: string } = { name: '', arn: '' },
): Json {
  const vars: Record<string, Json> = { ...predefined(event, rule.name, rule.arn) };
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) vars[name] = readPath(event, path);
  const template = transformer.InputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i += 1) {
    const c = template[i]!;
    if (c === '"' && template[i - 1] !== '\\') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (name && Object.prototype.hasOwnProperty.call(vars, name)) {
        const v = vars[name];
        if (inString) out += typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : JSON.stringify(v ?? null).replace(/^"|"$/g, '');
        else out += JSON.stringify(v ?? null);
        i = end;
        continue;
      }
    }
    out += c;
  }
  try {
    return JSON.parse(out);
  } catch {
    return out;
  }
}

/**
 * Checking a command line against a command's options before node:util's parseArgs
 * sees it, so that every usage problem gets pitstop's own wording and a suggestion.
 */
import type { OptionSpec } from './command';
import { UsageError } from './options';
import { closest } from '../../vocabulary/config/messages';

/** ` (did you mean X?)` for the closest known word, or nothing. */
export function suggestion(word: string, known: readonly string[]): string {
  const match = closest(word, known);
  return match ? ` (did you mean ${match}?)` : '';
}

/**
 * Throws a UsageError for the first unknown option (with the closest known one) or the
 * first option left without its value. Arguments after `--` are positionals.
 */
export function checkOptions(args: readonly string[], options: OptionSpec): void {
  const longs = Object.keys(options);
  const shorts = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return;
    let name: string | undefined;
    let inlineValue = false;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inlineValue = eq !== -1;
      if (!(name in options)) {
        throw new UsageError(`unknown option --${name}${suggestion(`--${name}`, longs.map((l) => `--${l}`))}`);
      }
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      const letter = arg[1]!;
      name = shorts.get(letter);
      if (name === undefined) throw new UsageError(`unknown option -${letter}${suggestion(`--${arg.slice(1)}`, longs.map((l) => `--${l}`))}`);
      inlineValue = arg.length > 2;
    }
    if (name === undefined) continue;
    const spec = options[name]!;
    if (spec.type === 'string' && !inlineValue) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} expects a value`);
      i++;
    } else if (spec.type === 'boolean' && inlineValue && arg.startsWith('--')) {
      throw new UsageError(`--${name} takes no value`);
    }
  }
}

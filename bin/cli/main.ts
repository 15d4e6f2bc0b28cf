/**
 * The pitstop CLI: parses argv against the command table, runs the command and
 * returns what to print and the exit code. Nothing here calls process.exit.
 */
import { parseArgs } from 'node:util';
import { InputError } from '../../vocabulary/errors';
import { checkOptions, suggestion } from './argv';
import { explainAwsError } from './aws';
import { AWS_HELP, AWS_OPTIONS, COMMON_OPTIONS, DEPLOYMENT_HELP, DEPLOYMENT_OPTIONS, ExitCode, type Command, type CommandContext } from './command';
import { COMMANDS, type CommandEntry } from './commands';
import { UsageError } from './options';
import { pitstopVersion } from './version';

export interface CliOutput {
  readonly exitCode: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

const EXIT_CODES = 'Exit codes: 0 ok, 1 the check failed (drift, gate, validation critical), 2 bad usage or bad input, 3 AWS or network error.';

function commandHelp(cmd: Command, summary: string): string {
  const help = [...cmd.help, ...(cmd.deployment ? DEPLOYMENT_HELP : []), ...(cmd.aws ? AWS_HELP : [])];
  const width = Math.max(...help.map(([flag]) => flag.length), 10);
  const lines = [
    `Usage: pitstop ${cmd.usage}`,
    '',
    summary,
    '',
    'Options:',
    ...help.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    `  ${'--json'.padEnd(width)}  print one JSON object to stdout`,
    `  ${'-h, --help'.padEnd(width)}  show this help`,
  ];
  if (cmd.examples.length > 0) lines.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  lines.push('', EXIT_CODES);
  return lines.join('\n') + '\n';
}

export function generalHelp(commands: readonly CommandEntry[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: pitstop <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `pitstop help <command>` (or `pitstop <command> --help`) for a command\'s options;',
    '`pitstop --version` for the version.',
    EXIT_CODES,
    '',
  ].join('\n');
}

function unknownCommand(name: string, commands: readonly CommandEntry[]): CliOutput {
  const hint = suggestion(name, commands.map((c) => c.name));
  return { exitCode: ExitCode.BadInput, stdout: '', stderr: `pitstop: unknown command "${name}"${hint}\nRun \`pitstop --help\` for the list of commands.\n` };
}

/**
 * Runs one CLI invocation. `progress` receives progress lines (the entry point sends them
 * to stderr). Only the command that runs (or whose help is asked for) is loaded.
 */
export async function runCli(
  argv: readonly string[],
  ctx: CommandContext = { progress: () => undefined },
  commands: readonly CommandEntry[] = COMMANDS,
): Promise<CliOutput> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    return { exitCode: ExitCode.Ok, stdout: `pitstop ${pitstopVersion()}\n`, stderr: '' };
  }
  if (name === 'help' && rest.length > 0) {
    const entry = commands.find((c) => c.name === rest[0]);
    return entry ? { exitCode: ExitCode.Ok, stdout: commandHelp(await entry.load(), entry.summary), stderr: '' } : unknownCommand(rest[0]!, commands);
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    return { exitCode: name === undefined ? ExitCode.BadInput : ExitCode.Ok, stdout: generalHelp(commands), stderr: '' };
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) return unknownCommand(name, commands);
  const cmd = await entry.load();
  const options = { ...COMMON_OPTIONS, ...(cmd.aws ? AWS_OPTIONS : {}), ...(cmd.deployment ? DEPLOYMENT_OPTIONS : {}), ...cmd.options };
  let json = rest.includes('--json');
  try {
    checkOptions(rest, options);
    const parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    json = parsed.values.json === true;
    if (parsed.values.help === true) return { exitCode: ExitCode.Ok, stdout: commandHelp(cmd, entry.summary), stderr: '' };
    const { min, max, names } = cmd.positionals;
    if (parsed.positionals.length < min) {
      throw new UsageError(`missing ${names.slice(parsed.positionals.length, min).map((n) => `<${n}>`).join(' ')}`);
    }
    if (parsed.positionals.length > max) {
      throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
    }
    const result = await cmd.run(parsed.values, parsed.positionals, ctx);
    const stdout = json ? JSON.stringify(result.json, null, 2) + '\n' : result.text.endsWith('\n') ? result.text : result.text + '\n';
    return { exitCode: result.exitCode, stdout, stderr: '' };
  } catch (err) {
    const aws = explainAwsError(err);
    const message = aws ?? describe(err);
    return {
      exitCode: aws ? ExitCode.AwsError : ExitCode.BadInput,
      stdout: json ? JSON.stringify({ error: message }) + '\n' : '',
      stderr: aws ? `pitstop ${cmd.name}: ${aws}\n` : formatError(cmd, err),
    };
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function formatError(cmd: Command, err: unknown): string {
  if (err instanceof UsageError || isParseArgsError(err)) {
    return `pitstop ${cmd.name}: ${describe(err)}\nUsage: pitstop ${cmd.usage}\nRun \`pitstop help ${cmd.name}\` for details.\n`;
  }
  if (err instanceof InputError) return `pitstop ${cmd.name}: ${err.message}\n`;
  // Anything else is a bug or an environment failure: still one line, with the error's name.
  const name = err instanceof Error ? err.name : 'Error';
  return `pitstop ${cmd.name}: ${name}: ${describe(err)}\n`;
}

function isParseArgsError(err: unknown): boolean {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

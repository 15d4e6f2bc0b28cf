/**
 * The shape of a pitstop CLI command. Commands are typed functions that return
 * data; only the entry point (bin/pitstop.ts) prints and sets the exit code.
 */
import type { ParseArgsConfig } from 'node:util';

/** Exit codes of the CLI. */
export const ExitCode = {
  /** The command ran and the check passed. */
  Ok: 0,
  /** The command ran and the check failed: drift detected, gate failed, validation critical. */
  CheckFailed: 1,
  /** Bad usage or bad input. */
  BadInput: 2,
  /** AWS or the network failed: no region or credentials, access denied, throttling, a service error, no connection. */
  AwsError: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What a command returns: the machine-readable result, its human rendering, and the exit code. */
export interface CommandResult {
  readonly exitCode: ExitCode;
  /** Printed as JSON to stdout with `--json`. */
  readonly json: unknown;
  /** Printed to stdout without `--json`. */
  readonly text: string;
}

/** Where a command reports progress: stderr, never stdout, so `--json` stays clean. */
export interface CommandContext {
  /** Status lines for the person running the command (stderr). */
  readonly progress: (message: string) => void;
  /** Bytes and rows of long reads; given only when stderr is a terminal. */
  readonly readProgress?: (message: string) => void;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  readonly name: string;
  /** Usage line, e.g. `profile <data> --out FILE [--label COL] [--bins N]`. */
  readonly usage: string;
  /** Option help, one line each: flag and meaning. */
  readonly help: readonly (readonly [string, string])[];
  /** Examples shown by --help. */
  readonly examples: readonly string[];
  readonly options: OptionSpec;
  /** How many positional arguments the command takes. */
  readonly positionals: { readonly min: number; readonly max: number; readonly names: readonly string[] };
  /** The command calls AWS: it takes `--region` and `--profile` (see {@link AWS_OPTIONS}). @default false */
  readonly aws?: boolean;
  /** The command operates a deployed model: it takes `--stage` and `--stack` (see {@link DEPLOYMENT_OPTIONS}). @default false */
  readonly deployment?: boolean;
  run(values: ParsedValues, positionals: readonly string[], ctx: CommandContext): Promise<CommandResult>;
}

/** Options of every command that calls AWS; their help lines are added to the command's. */
export const AWS_OPTIONS: OptionSpec = {
  region: { type: 'string' },
  profile: { type: 'string' },
};

export const AWS_HELP: readonly (readonly [string, string])[] = [
  ['--region REGION', 'AWS Region (default: AWS_REGION, then the profile\'s region)'],
  ['--profile NAME', 'named profile from ~/.aws/config (default: AWS_PROFILE, then "default")'],
];

/** Options of the commands that operate a deployed model: which deployment. */
export const DEPLOYMENT_OPTIONS: OptionSpec = {
  stage: { type: 'string' },
  stack: { type: 'string' },
};

export const DEPLOYMENT_HELP: readonly (readonly [string, string])[] = [
  ['--stage NAME', 'the stage the model is deployed in (state machines pitstop-<stage>-<model>-<kind>)'],
  ['--stack NAME', 'read the state machine ARNs from this stack\'s outputs (e.g. Pitstop-staging-churn); --model is then optional'],
];

/** Options every command accepts. */
export const COMMON_OPTIONS: OptionSpec = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

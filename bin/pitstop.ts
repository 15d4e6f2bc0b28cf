#!/usr/bin/env node
/**
 * Entry point of the `pitstop` CLI: the only place that writes to the terminal and sets
 * the exit code. Progress goes to stderr, and only when stderr is a terminal, so that
 * redirected output and `--json` stay clean.
 */
import { runCli } from './cli/main';

const progress = process.stderr.isTTY ? (message: string) => void process.stderr.write(`${message}\n`) : () => undefined;
const out = await runCli(process.argv.slice(2), { progress });
if (out.stdout) process.stdout.write(out.stdout);
if (out.stderr) process.stderr.write(out.stderr);
process.exitCode = out.exitCode;

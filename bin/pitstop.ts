#!/usr/bin/env node
/**
 * Entry point of the `pitstop` CLI: the only place that writes to the terminal and sets
 * the exit code. Status lines go to stderr, never stdout, so that `--json` stays clean;
 * the running count of bytes and rows of a long read only when stderr is a terminal.
 */
import { runCli } from './cli/main';

const progress = (message: string) => void process.stderr.write(`${message}\n`);
const out = await runCli(process.argv.slice(2), { progress, ...(process.stderr.isTTY ? { readProgress: progress } : {}) });
if (out.stdout) process.stdout.write(out.stdout);
if (out.stderr) process.stderr.write(out.stderr);
process.exitCode = out.exitCode;

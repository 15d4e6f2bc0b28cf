#!/usr/bin/env node
/** Entry point of the `pitstop` CLI: the only place that writes to the terminal and sets the exit code. */
import { runCli } from './cli/main';

const out = await runCli(process.argv.slice(2), {
  progress: (message) => process.stderr.write(`${message}\n`),
});
if (out.stdout) process.stdout.write(out.stdout);
if (out.stderr) process.stderr.write(out.stderr);
process.exitCode = out.exitCode;

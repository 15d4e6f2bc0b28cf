/**
 * Commands that run only from a clone of the repository: local mode (`demo`) executes the
 * TypeScript sources of the example model and the Lambda handlers, and the local
 * Step Functions engine, none of which the installed package ships. From the installed
 * package such a command refuses with how to get a clone (exit 2).
 */
import { InputError } from '../../../vocabulary/errors';
import type { Command } from '../command';

/** The message a clone-only command gives when run from the installed package. */
export function cloneOnlyMessage(name: string): string {
  return `\`pitstop ${name}\` (local mode) runs from a clone of the repository, not from the installed package:\n`
    + `  git clone <the pitstop repository> pitstop && cd pitstop && npm install && npm start`;
}

/**
 * True when this CLI runs from its TypeScript sources (a clone, through tsx), false when
 * it runs compiled (the installed package's `dist/`). `moduleUrl` is for tests.
 */
export function runsFromSources(moduleUrl: string = import.meta.url): boolean {
  return /\.ts$/.test(new URL(moduleUrl).pathname);
}

/** A stand-in for clone-only command `name` that refuses to run, with how to get a clone. */
export function cloneOnlyCommand(name: string, usage: string, options: Command['options']): Command {
  return {
    name,
    usage,
    help: [['(local mode)', 'runs from a clone of the repository only: git clone, npm install, npm start']],
    examples: [],
    options,
    positionals: { min: 0, max: Number.MAX_SAFE_INTEGER, names: [] },
    run() {
      return Promise.reject(new InputError(cloneOnlyMessage(name)));
    },
  };
}

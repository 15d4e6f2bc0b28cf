/**
 * Applies a Lambda function's template environment to `process.env` while its handler
 * runs in-process, and restores the previous values after.
 *
 * Handlers of one run overlap (Parallel branches, concurrent executions), so the
 * variables are counted: a value set by an overlapping handler stays until the last
 * one using that variable leaves, then the value from before the first is restored.
 * All functions of one model carry the same `PITSTOP_MODEL_CONFIG`, so overlapping
 * handlers agree on what they read.
 */

interface Held {
  count: number;
  original: string | undefined;
}

/** A scoped `process.env` for in-process handlers. */
export class ScopedEnvironment {
  private readonly held = new Map<string, Held>();

  /** @param env the environment to change @default process.env */
  public constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** Runs `fn` with `vars` set, restoring them when the last overlapping user is done. */
  public async run<T>(vars: Readonly<Record<string, string>>, fn: () => Promise<T> | T): Promise<T> {
    const names = Object.keys(vars);
    for (const name of names) {
      const h = this.held.get(name);
      if (h) h.count += 1;
      else this.held.set(name, { count: 1, original: this.env[name] });
      this.env[name] = vars[name];
    }
    try {
      return await fn();
    } finally {
      for (const name of names) {
        const h = this.held.get(name)!;
        h.count -= 1;
        if (h.count === 0) {
          this.held.delete(name);
          if (h.original === undefined) delete this.env[name];
          else this.env[name] = h.original;
        }
      }
    }
  }
}

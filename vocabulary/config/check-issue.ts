/** One cross-field problem of a config, at a path relative to the checked object. */
export interface CheckIssue {
  readonly path: (string | number)[];
  readonly message: string;
  readonly input?: unknown;
}

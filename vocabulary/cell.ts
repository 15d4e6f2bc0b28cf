/**
 * The value of one table cell as every reader yields it: the capture format
 * (./capture-attributes.ts) and the readers (lambdas/core/readers) share it.
 */

/** One cell. CSV gives strings (null for an empty field); JSON-based formats give their JSON scalars. */
export type Cell = string | number | boolean | null;

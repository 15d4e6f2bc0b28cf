/**
 * The one cell type every reader yields and every consumer takes: its own module at the
 * bottom of the readers, so that the table shapes (./types) and the column batches
 * (./column-batch) can both import it without importing each other.
 */

/** One cell. CSV gives strings (null for an empty field); JSON-based formats give their JSON scalars. */
export type Cell = string | number | boolean | null;

/**
 * Escaping of text taken from run data before it goes into HTML or SVG.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for an HTML/SVG text node or a quoted attribute value.
 * `String(value)` is taken first, so any value may be passed.
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Shorthand for `escapeHtml`, for use inside templates. */
export const esc = escapeHtml;

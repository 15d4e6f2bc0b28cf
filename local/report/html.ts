/**
 * Small HTML building blocks for the report: tables, badges, empty-section notes.
 * Cells are given as already-safe HTML: callers escape data with `esc`.
 */
import { esc } from './escape';

/** A cell's HTML and optional class (e.g. `num` to right-align numbers). */
export type Cell = string | { readonly html: string; readonly class?: string };

/** A table with a header row, scrolling sideways when too wide; every cell is inserted as given (escape first). */
export function table(header: readonly Cell[], rows: readonly (readonly Cell[])[], className = 'data'): string {
  const cell = (tag: 'th' | 'td', c: Cell) =>
    typeof c === 'string' ? `<${tag}>${c}</${tag}>` : `<${tag}${c.class ? ` class="${esc(c.class)}"` : ''}>${c.html}</${tag}>`;
  return (
    `<div class="scroll"><table class="${esc(className)}"><thead><tr>${header.map((h) => cell('th', h)).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('')}</tbody></table></div>`
  );
}

/** A right-aligned numeric cell from already formatted text. */
export function num(formatted: string): Cell {
  return { html: esc(formatted), class: 'num' };
}

/** A coloured badge; `tone` picks its colour class. */
export function badge(label: string, tone: 'good' | 'bad' | 'warn' | 'neutral'): string {
  return `<span class="badge badge-${tone}">${esc(label)}</span>`;
}

/** The note a section shows instead of a chart when it has no data. */
export function emptyNote(message: string): string {
  return `<p class="empty" data-empty>${esc(message)}</p>`;
}

/** A `<section>` with an id and a heading. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>${body}</section>`;
}

/** A legend of coloured swatches. */
export function legend(items: readonly { readonly label: string; readonly color: string; readonly dashed?: boolean }[]): string {
  return `<ul class="legend">${items
    .map((i) => `<li><span class="swatch${i.dashed ? ' dashed' : ''}" style="--swatch:${esc(i.color)}"></span>${esc(i.label)}</li>`)
    .join('')}</ul>`;
}

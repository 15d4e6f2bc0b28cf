/**
 * String helpers to find the report's charts and sections without a DOM.
 * The report's SVGs are never nested, so a lazy match finds each whole.
 */

/** The `<svg data-chart="kind">…</svg>` elements of a page. */
export function charts(html: string, kind: string): string[] {
  return [...html.matchAll(new RegExp(`<svg[^>]*data-chart="${kind}"[\\s\\S]*?</svg>`, 'g'))].map((m) => m[0]);
}

/** The one chart of `kind`; throws unless exactly one. */
export function chart(html: string, kind: string): string {
  const found = charts(html, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} chart, got ${found.length}`);
  return found[0]!;
}

/** The opening tags of the elements that carry a `data-bar` attribute. */
export function bars(svg: string): string[] {
  return [...svg.matchAll(/<rect[^>]*\sdata-bar="[^"]*"[^>]*>/g)].map((m) => m[0]);
}

/** An attribute's value in an opening tag (undefined when absent). */
export function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** A numeric attribute's value in an opening tag. */
export function numAttr(tag: string, name: string): number {
  const v = attr(tag, name);
  if (v === undefined) throw new Error(`no ${name} in ${tag}`);
  return Number(v);
}

/** The `<section id="id">…</section>` of a page. */
export function sectionOf(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}">[\\s\\S]*?</section>`).exec(html);
  if (!m) throw new Error(`no section ${id}`);
  return m[0];
}

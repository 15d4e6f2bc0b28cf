/**
 * The report's inline stylesheet.
 */
import { PALETTE } from './svg';

/** CSS of the report page (inlined into a `<style>` element). */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: ${PALETTE.text}; background: #f3f4f6; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 24px 48px; }
header.run { background: #fff; border-radius: 8px; padding: 20px 24px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
header.run h1 { margin: 0 0 8px; font-size: 22px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
header.run dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0 0; }
header.run dt { color: ${PALETTE.axis}; }
header.run dd { margin: 0; }
section { background: #fff; border-radius: 8px; padding: 16px 24px 20px; margin-top: 16px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
section h2 { margin: 0 0 12px; font-size: 17px; }
section h3 { margin: 16px 0 8px; font-size: 15px; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 8px 0; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; fill: ${PALETTE.text}; }
svg.chart text.tick { font-size: 11px; fill: ${PALETTE.axis}; }
svg.chart text.bar-label { font-size: 11px; fill: #fff; }
svg.chart text.value.small { font-size: 10px; }
svg.chart text.drifted, svg.chart text.breached, svg.chart text.breach-label { fill: ${PALETTE.failed}; font-weight: 600; }
svg.chart text.panel-title { font-weight: 600; font-size: 13px; }
svg.chart text.mark { font-size: 10px; font-weight: 700; }
svg.chart text.mark-failed { fill: ${PALETTE.failed}; }
svg.chart text.mark-caught { fill: #b45309; }
svg.chart rect.bar:hover { opacity: .8; }
table.data { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
table.data th, table.data td { text-align: left; padding: 5px 8px; border-bottom: 1px solid ${PALETTE.grid}; vertical-align: top; }
table.data th { background: ${PALETTE.rowShade}; font-weight: 600; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.num { white-space: nowrap; }
.scroll { overflow-x: auto; }
table.data tr.bad td { background: #fef2f2; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; letter-spacing: .02em; text-transform: uppercase; }
.badge-good { background: #dcfce7; color: #166534; }
.badge-bad { background: #fee2e2; color: #991b1b; }
.badge-warn { background: #fef3c7; color: #92400e; }
.badge-neutral { background: #e5e7eb; color: #374151; }
.empty { color: ${PALETTE.axis}; font-style: italic; margin: 4px 0; }
.note { color: ${PALETTE.axis}; font-size: 12px; margin: 4px 0; }
ul.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; gap: 16px; flex-wrap: wrap; font-size: 12px; }
ul.legend .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; background: var(--swatch); }
ul.legend .swatch.dashed { background: none; border-left: 2px dashed var(--swatch); width: 2px; }
ol.states { columns: 2; column-gap: 32px; font-size: 12px; padding-left: 28px; margin: 8px 0 0; }
ol.states li { break-inside: avoid; }
details.states summary { cursor: pointer; font-size: 13px; margin-top: 8px; }
ol.states .machine { color: ${PALETTE.axis}; }
ol.states .status-failed { color: ${PALETTE.failed}; font-weight: 600; }
ol.states .status-caught { color: #b45309; font-weight: 600; }
ul.events { list-style: none; padding: 0; margin: 0; }
ul.events li { padding: 8px 0; border-bottom: 1px solid ${PALETTE.grid}; }
ul.events .at { color: ${PALETTE.axis}; font-variant-numeric: tabular-nums; margin-right: 8px; }
ul.events pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0 0; font-size: 12px; background: ${PALETTE.rowShade}; padding: 6px 8px; border-radius: 4px; }
footer { color: ${PALETTE.axis}; font-size: 12px; margin-top: 16px; text-align: center; }
@media print { body { background: #fff; } section, header.run { box-shadow: none; } }
`;

/**
 * HTML building blocks for the report: escaping, tables, the per-token view
 * (tokens coloured by exit depth, marked correct / wrong) and the page shell.
 * Self-contained: inline CSS, no scripts, no network.
 */
import type { ExampleTrace, Trace } from '../trace.js';
import { fmtNum } from '../analysis/format-table.js';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export type HtmlCell = string | number | null;

/** A table; numbers right-aligned with 3 decimals (integers as is), NaN as n/a. */
export function htmlTable(headers: readonly string[], rows: readonly (readonly HtmlCell[])[], caption?: string): string {
  const cell = (c: HtmlCell): string => (typeof c === 'number' ? `<td class="num">${fmtNum(c)}</td>` : `<td>${esc(c ?? 'n/a')}</td>`);
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Background colour for an exit depth in [1, tMax]: light (shallow) to dark blue (deep). */
export function depthColour(depth: number, tMax: number): string {
  const f = tMax > 1 ? (depth - 1) / (tMax - 1) : 1;
  return `hsl(215, 70%, ${Math.round(92 - f * 62)}%)`;
}

const tokenText = (id: number, vocab?: readonly string[]): string => (vocab && vocab[id] !== undefined ? vocab[id]! : String(id));

/** Picks up to `k` examples: prefer a mix of fully correct and wrong ones, smallest and largest sizes. */
export function pickExamples(examples: readonly ExampleTrace[], k: number): ExampleTrace[] {
  const bySize = [...examples].filter((e) => e.tokens.length > 0).sort((a, b) => a.size - b.size);
  const picks: ExampleTrace[] = [];
  const add = (e: ExampleTrace | undefined): void => { if (e && !picks.includes(e) && picks.length < k) picks.push(e); };
  add(bySize.find((e) => e.tokens.every((t) => t.correct)));
  add([...bySize].reverse().find((e) => e.tokens.some((t) => !t.correct)));
  for (const e of bySize) add(e);
  return picks;
}

/** The per-token view of a few examples of one trace. */
export function tokenView(trace: Trace, examples: readonly ExampleTrace[], vocab?: readonly string[]): string {
  const { tMax } = trace.header;
  const legend = Array.from({ length: tMax }, (_, i) => `<span class="tok" style="background:${depthColour(i + 1, tMax)};color:${i + 1 > tMax / 2 ? '#fff' : '#000'}">${i + 1}</span>`).join('');
  const rows = examples.map((ex) => {
    const toks = ex.tokens.map((t) => {
      const dark = t.exitDepth > tMax / 2;
      const title = `position ${t.position}, exit depth ${t.exitDepth}${t.expectedDepth !== null ? ` (expected ${fmtNum(t.expectedDepth)})` : ''}, difficulty ${t.difficulty}, target ${tokenText(t.target, vocab)}, predicted ${tokenText(t.prediction, vocab)}`;
      const wrong = t.correct ? '' : `<sub class="pred">→${esc(tokenText(t.prediction, vocab))}</sub>`;
      return `<span class="tok ${t.correct ? 'ok' : 'bad'}" title="${esc(title)}" style="background:${depthColour(t.exitDepth, tMax)};color:${dark ? '#fff' : '#000'}">${esc(tokenText(t.target, vocab))}<sup>${t.exitDepth}</sup>${t.correct ? '✓' : '✗'}${wrong}</span>`;
    });
    return `<div class="example"><div class="exmeta">size ${ex.size} · ${ex.exact ? 'exact match' : 'wrong'} · seed ${ex.meta.seed}</div>${toks.join('')}</div>`;
  });
  return `<div class="legend">exit depth: ${legend} · ✓ correct, ✗ wrong (→ shows the prediction) · superscript = exit depth · hover for details</div>${rows.join('')}`;
}

const CSS = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1600px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}h3{font-size:15px}
.runs{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.run{flex:1 1 480px;min-width:420px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.plot svg{max-width:100%;height:auto}.tok{display:inline-block;margin:2px;padding:2px 5px;border-radius:3px;font-family:monospace;font-size:13px}
.tok.bad{outline:2px solid #d62728}.tok sup{font-size:9px;margin-left:1px}.pred{font-size:10px}
.example{margin:6px 0 10px}.exmeta{font-size:12px;color:#666}.legend{font-size:12px;margin:6px 0}.note{font-size:12px;color:#555}`;

/** Wraps sections into a complete HTML document. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

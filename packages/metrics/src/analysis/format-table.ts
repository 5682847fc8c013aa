/**
 * Fixed-width plain-text tables and number formatting for terminals and logs.
 * Numbers right-aligned, text left-aligned; NaN prints as "n/a".
 */

export type Cell = string | number | boolean | null;

/** A number with `digits` decimals; NaN/null as "n/a". */
export function fmtNum(v: number | null, digits = 3): string {
  if (v === null || Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : v.toFixed(digits);
}

/** A p-value: 4 decimals, or "<1e-4"-style scientific when tiny. */
export function fmtP(p: number): string {
  if (Number.isNaN(p)) return 'n/a';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** Renders rows under headers with columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[], title?: string): string {
  const numeric = headers.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number' || r[j] === null));
  // A numeric column with any fractional value prints every value with decimals, so points line up.
  const fractional = headers.map((_, j) => rows.some((r) => typeof r[j] === 'number' && Number.isFinite(r[j]) && !Number.isInteger(r[j])));
  const cell = (c: Cell, j: number): string =>
    typeof c === 'number' ? (fractional[j] && Number.isFinite(c) ? c.toFixed(3) : fmtNum(c)) : c === null ? 'n/a' : String(c);
  const text = rows.map((r) => r.map(cell));
  const widths = headers.map((h, j) => Math.max(h.length, ...text.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)];
  return (title ? `${title}\n` : '') + out.join('\n');
}

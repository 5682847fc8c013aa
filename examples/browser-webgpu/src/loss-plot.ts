/** A small SVG line plot of the training loss (no plotting library needed). */

const NS = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Redraw `svg` with `losses` (index i = step i + 1) out of `totalSteps`. */
export function drawLoss(svg: SVGSVGElement, losses: readonly number[], totalSteps: number): void {
  const w = 520, h = 220, l = 48, r = 12, t = 12, b = 36;
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.replaceChildren();
  const hi = Math.max(...losses, 1e-9);
  const lo = Math.min(...losses, hi);
  const pad = Math.max((hi - lo) * 0.1, 0.05);
  const max = hi + pad;
  const min = Math.max(0, lo - pad);
  const x = (i: number) => l + ((w - l - r) * i) / Math.max(1, totalSteps - 1);
  const y = (v: number) => t + ((h - t - b) * (max - v)) / (max - min || 1);
  svg.append(el('line', { x1: l, y1: h - b, x2: w - r, y2: h - b, stroke: '#888' }), el('line', { x1: l, y1: t, x2: l, y2: h - b, stroke: '#888' }));
  for (const v of [min, (min + max) / 2, max]) {
    svg.append(el('text', { x: l - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11 }, v.toFixed(2)));
  }
  svg.append(el('text', { x: l, y: h - b + 16, 'font-size': 11, 'text-anchor': 'middle' }, '1'));
  svg.append(el('text', { x: w - r, y: h - b + 16, 'font-size': 11, 'text-anchor': 'end' }, String(totalSteps)));
  svg.append(el('text', { x: (l + w) / 2, y: h - 4, 'font-size': 12, 'text-anchor': 'middle' }, 'training step'));
  svg.append(el('text', { x: 12, y: (t + h - b) / 2, 'font-size': 12, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(t + h - b) / 2})` }, 'loss'));
  if (losses.length === 0) return;
  const pts = losses.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  svg.append(el('polyline', { points: pts, fill: 'none', stroke: '#2563eb', 'stroke-width': 2 }));
}

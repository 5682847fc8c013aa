/**
 * Renders examples as rows of tokens: input tokens in grey, answer tokens as boxes
 * coloured by the depth (number of loop iterations) at which the model stopped
 * computing them, plus the colour legend.
 */
import type { TokenView } from './session.js';

/** Colour for exit depth d of tMax: light yellow (shallow) to dark purple (deep). */
export function depthColour(d: number, tMax: number): string {
  const f = tMax <= 1 ? 1 : (d - 1) / (tMax - 1);
  return `hsl(${Math.round(415 - 145 * f) % 360}, 75%, ${Math.round(85 - 50 * f)}%)`; // light yellow -> red -> dark purple
}

/** Black text on light boxes, white on dark ones. */
const textColour = (d: number, tMax: number): string => (tMax > 1 && (d - 1) / (tMax - 1) > 0.5 ? '#fff' : '#000');

const span = (cls: string, text: string, title?: string): HTMLSpanElement => {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  if (title) s.title = title;
  return s;
};

/** A legend for depths 1..tMax. */
export function legend(tMax: number): HTMLElement {
  const div = document.createElement('div');
  div.className = 'legend';
  div.append(span('legend-title', 'exit depth (loop iterations):'));
  for (let d = 1; d <= tMax; d++) {
    const s = span('tok answer', String(d));
    s.style.background = depthColour(d, tMax);
    s.style.color = textColour(d, tMax);
    div.append(s);
  }
  div.append(span('legend-note', '✗ = wrong answer digit (the expected one is shown on hover)'));
  return div;
}

/**
 * One row per example: the prompt (input up to the first answer position), an arrow,
 * then one box per answer token showing what the model predicted there. Answer
 * tokens are read teacher-forced, as in training (`target[i] = input[i + 1]`).
 */
export function renderTokens(container: HTMLElement, views: readonly TokenView[][], tMax: number): void {
  container.replaceChildren(legend(tMax));
  for (const row of views) {
    const div = document.createElement('div');
    div.className = 'example';
    const first = row.findIndex((tk) => tk.exitDepth !== null);
    row.slice(0, first + 1).forEach((tk) => div.append(span('tok input', tk.token)));
    div.append(span('arrow', '→'));
    for (const tk of row) {
      if (tk.exitDepth === null) continue;
      const ok = tk.prediction === tk.target;
      const s = span('tok answer', `${tk.prediction}${ok ? '' : '✗'}`,
        `predicts "${tk.prediction}" (expected "${tk.target}"), difficulty ${tk.difficulty}, exit depth ${tk.exitDepth}`);
      s.style.background = depthColour(tk.exitDepth, tMax);
      s.style.color = textColour(tk.exitDepth, tMax);
      s.dataset['depth'] = String(tk.exitDepth);
      div.append(s);
    }
    container.append(div);
  }
}

/** The report renders from synthetic traces, has every section, and its SVGs are well-formed. */
import { describe, expect, it } from 'vitest';
import { syntheticTrace } from '../testing/synthetic-trace.js';
import { renderReport } from './render-report.js';

/** Minimal XML well-formedness check: balanced, properly nested tags. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) { if (stack.pop() !== name) return false; } else stack.push(name!);
  }
  return stack.length === 0;
}

describe('renderReport', () => {
  it('renders every section, several runs side by side, and valid SVGs', async () => {
    const vocab = ['<pad>', '<bos>', '+', ...'0123456789'];
    const runs = [
      { label: 'run A', traces: [syntheticTrace({ policy: 'anira-e', dynamicWeight: 0.1, examplesPerSize: 3 }), syntheticTrace({ policy: 'anira-o', seed: 3, examplesPerSize: 3 })], vocab,
        trainingLog: [0, 100, 200].map((step, i) => ({ step, loss: 2 / (i + 1), accuracy: 0.3 * i, meanDepth: 3 + i })) },
      { label: 'run B <T=12>', traces: [syntheticTrace({ tMax: 12, seed: 5, examplesPerSize: 3 })] },
    ];
    const { html, svgs } = await renderReport(runs, { resamples: 50 });
    for (const id of ['alignment', 'generalization', 'decision-timing', 'efficiency', 'tokens', 'training']) expect(html).toContain(`id="${id}"`);
    expect(Object.keys(svgs).sort()).toEqual(['accuracy-by-size', 'accuracy-vs-compute', 'depth-by-size', 'heatmap-0', 'heatmap-1', 'heatmap-2', 'training', 'variance-static-dynamic']);
    for (const [key, svg] of Object.entries(svgs)) {
      expect(svg.startsWith('<svg'), key).toBe(true);
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(wellFormed(svg), key).toBe(true);
      expect(html).toContain(svg); // inlined
    }
    expect(svgs['heatmap-0']).toContain('exit depth (iterations)');
    expect(svgs['accuracy-by-size']).toContain('input size');
    expect(svgs['variance-static-dynamic']).toContain('unique dynamic');
    for (const s of ['partial ρ | answer step × size (cells)', 'Position controls', 'Three groups: static (S)', 'Drop-one']) expect(html).toContain(s);
    expect(html).not.toContain('NaN');
    // labels are escaped, tokens shown as vocab text, correct/wrong marks present
    expect(html).toContain('run B &lt;T=12&gt;');
    expect(html).not.toContain('run B <T=12>');
    expect(html).toMatch(/class="tok bad"/);
    expect(html).toMatch(/class="tok ok"/);
    // self-contained: no external resources
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('rejects empty input with a clear error', async () => {
    await expect(renderReport([])).rejects.toThrow('renderReport: runs must contain at least 1 run, got 0');
  });
});

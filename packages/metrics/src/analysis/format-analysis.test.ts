/** Text formatting: fixed-width columns and every section present. */
import { describe, expect, it } from 'vitest';
import { syntheticTrace } from '../testing/synthetic-trace.js';
import { formatAnalysis, formatSummaryTable } from './format-analysis.js';
import { formatTable } from './format-table.js';

describe('formatTable', () => {
  it('pads columns: numbers right, text left, NaN as n/a', () => {
    expect(formatTable(['name', 'v'], [['a', 1.5], ['long', Number.NaN]])).toBe('name      v\n----  -----\na     1.500\nlong    n/a');
  });
});

describe('formatAnalysis', () => {
  it('contains every section and one summary row per trace', () => {
    const traces = [syntheticTrace({ policy: 'anira-e', dynamicWeight: 0.1 }), syntheticTrace({ policy: 'anira-o', seed: 2 })];
    const summary = formatSummaryTable(traces);
    expect(summary.split('\n')).toHaveLength(4);
    expect(summary).toMatch(/anira-e \(T=8\)/);
    const text = formatAnalysis(traces, { resamples: 50 });
    for (const s of ['Alignment [anira-e]', 'Spearman rho', 'Kendall tau-b', 'Generalization by input size', 'In- vs out-of-distribution', 'Decision timing', 'Efficiency']) expect(text).toContain(s);
  });
});

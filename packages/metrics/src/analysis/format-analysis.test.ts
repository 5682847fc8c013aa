/** Text formatting: fixed-width columns and every section present. */
import { describe, expect, it } from 'vitest';
import { buildTrace } from '../testing/build-trace.js';
import { syntheticTrace } from '../testing/synthetic-trace.js';
import { alignment } from './alignment.js';
import { formatAlignment, formatAnalysis, formatSummaryTable } from './format-analysis.js';
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
    for (const s of ['Alignment [anira-e]', 'Spearman rho', 'Kendall tau-b', 'Generalization by input size', 'In- vs out-of-distribution', 'Decision timing', 'Efficiency',
      'partial rho | answer step x size (cells)', 'Position controls', 'R2 of depth on answer step alone (one-hot)', 'static (S) / position (P) / dynamic (D)', 'drop-one', 'answer_step', 'size (category)']) expect(text).toContain(s);
    expect(text).not.toMatch(/NaN/);
    expect(text).not.toContain('feature sets');
  });

  it('prints the feature-set table only when sets are asked for', () => {
    const text = formatAnalysis([syntheticTrace({ policy: 'anira-e' })], { resamples: 20, featureSets: { 'hub and carry': ['hub', 'carry'] } });
    expect(text).toContain('Decision timing: feature sets');
    expect(text).toMatch(/hub and carry +hub, carry +- +\d\.\d{3} +\d\.\d{3}/);
  });

  it('an undefined alignment (one difficulty) prints the reason in words, never NaN', () => {
    const t = (depth: number) => ({ depth, difficulty: 2 });
    const tr = buildTrace({}, [{ size: 1, tokens: [t(1), t(2)] }, { size: 1, tokens: [t(3), t(1)] }]);
    const text = formatAlignment(alignment(tr, { resamples: 20 }));
    expect(text).toContain('undefined: all tokens have one difficulty');
    expect(text).not.toMatch(/NaN/);
    expect(formatSummaryTable([tr])).toContain('undefined: all tokens have one difficulty');
  });
});

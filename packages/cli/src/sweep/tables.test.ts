/** Sweep tables: the science columns, the "not learned" marker, words for undefined analyses, pooling over seeds. */
import { describe, expect, it } from 'vitest';
import { alignmentTable, analyseRuns, decisionTimingTable, heldOutCell, topDropOne, type RunAnalysis } from './tables.js';
import { seedsForPower } from '@anira/metrics/stats';
import { pooled, seedComparisonTable, seedSummaryTable, seedTimingTable } from './seed-tables.js';
import { alignedExamples, fixtureTrace } from '../../test/run-fixture.js';
import type { DecisionTimingResult } from '@anira/metrics';

/** Cells of the markdown row whose first cell is `name`. */
const row = (table: string, name: string) =>
  table.split('\n').find((l) => l.startsWith(`| ${name} |`))!.slice(2, -2).split(' | ');
const header = (table: string) => table.split('\n')[0]!.slice(2, -2).split(' | ');
const cell = (table: string, name: string, column: string) => row(table, name)[header(table).indexOf(column)]!;

describe('alignment table', () => {
  it('marks runs below 0.95 analysis-set accuracy "not learned"', () => {
    expect(heldOutCell(0.97)).toBe('0.970');
    expect(heldOutCell(0.95)).toBe('0.950');
    expect(heldOutCell(0.9499)).toBe('0.950 (not learned)');
    expect(heldOutCell(0.9)).toBe('0.900 (not learned)');
    expect(heldOutCell(null)).toBe('n/a');
    const runs = analyseRuns([
      { name: 'good', traces: [fixtureTrace(alignedExamples(30))], heldOutAccuracy: 0.97 },
      { name: 'bad', traces: [fixtureTrace(alignedExamples(30))], heldOutAccuracy: 0.41 },
    ], 50, 0);
    const t = alignmentTable(runs);
    expect(cell(t, 'good', 'analysis acc')).toBe('0.970');
    expect(cell(t, 'bad', 'analysis acc')).toBe('0.410 (not learned)');
  });

  it('depth set by the answer step alone: its R² is 1 and the partial given it is reported', () => {
    // depth = 1 + position, difficulty varies independently of position
    const examples = Array.from({ length: 30 }, (_, e) => ({
      size: 1,
      tokens: Array.from({ length: 4 }, (_, i) => ({ depth: 1 + i, difficulty: (e + 2 * i) % 3 })),
    }));
    const [run] = analyseRuns([{ name: 'pos', traces: [fixtureTrace(examples)] }], 50, 0);
    const t = alignmentTable([run!]);
    expect(cell(t, 'pos', 'R² depth ~ answer step alone (one-hot)')).toBe('1.000');
    expect(cell(t, 'pos', 'partial ρ [95% CI] given (cells)')).toMatch(/given answer step$/);
    // within one answer step the depth is constant: no stratified rho
    expect(cell(t, 'pos', 'ρ within (size, answer step) cells (cells)')).toBe('n/a');
    expect(cell(t, 'pos', 'Spearman ρ [95% CI]')).toMatch(/^-?\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\]$/);
  });

  it('sizes that vary are controlled too, and the stratified rho counts (size, answer step) cells with >= 20 tokens', () => {
    const [run] = analyseRuns([{ name: 'mixed', traces: [fixtureTrace(alignedExamples(40))] }], 50, 0);
    const t = alignmentTable([run!]);
    expect(cell(t, 'mixed', 'partial ρ [95% CI] given (cells)')).toMatch(/given answer step, size$/);
    expect(cell(t, 'mixed', 'ρ within (size, answer step) cells (cells)')).toMatch(/^\d\.\d{3} \(8\)$/);
  });

  it('an undefined alignment is said in words, never as NaN', () => {
    const examples = alignedExamples(10).map((ex) => ({ ...ex, tokens: ex.tokens.map((tok) => ({ ...tok, difficulty: 2 })) }));
    const tiny = [{ size: 1, tokens: [{ depth: 1, difficulty: 0 }] }, { size: 1, tokens: [{ depth: 2, difficulty: 1 }] }];
    const runs = analyseRuns([{ name: 'flat', traces: [fixtureTrace(examples)] }, { name: 'tiny', traces: [fixtureTrace(tiny)] }], 20, 0);
    const t = alignmentTable(runs);
    expect(cell(t, 'flat', 'Spearman ρ [95% CI]')).toBe('undefined: all tokens have one difficulty');
    expect(cell(t, 'tiny', 'Spearman ρ [95% CI]')).toMatch(/^n\/a \(.*at least 3/);
    expect(t).not.toMatch(/NaN/);
    expect(seedSummaryTable(runs)).toBeUndefined();
  });
});

describe('decision-timing table', () => {
  it('depth equal to a dynamic feature: R² dynamic = R² all = 1, Shapley shares sum to R² all', () => {
    const examples = Array.from({ length: 30 }, (_, e) => ({
      size: 1 + (e % 3),
      tokens: Array.from({ length: 4 }, (_, i) => {
        const depth = 1 + ((e * 7 + i * 3) % 5);
        return { depth, difficulty: depth % 2, d: depth };
      }),
    }));
    const [run] = analyseRuns([{ name: 'dyn', traces: [fixtureTrace(examples)] }], 20, 0);
    const t = decisionTimingTable([run!]);
    expect(cell(t, 'dyn', 'R² dynamic')).toBe('1.000');
    expect(cell(t, 'dyn', 'R² all')).toBe('1.000');
    const shap = ['Shapley static', 'Shapley position', 'Shapley dynamic'].map((c) => Number(cell(t, 'dyn', c)));
    expect(shap.reduce((a, b) => a + b)).toBeCloseTo(1, 2);
    const parts = ['unique static', 'unique position', 'unique dynamic', 'shared'].map((c) => Number(cell(t, 'dyn', c)));
    expect(parts.reduce((a, b) => a + b)).toBeCloseTo(1, 2);
    expect(cell(t, 'dyn', 'top drop-one ΔR²')).toMatch(/^carry \(dynamic\) \d\.\d{3}$/);
    // size varies: both encodings have an R²
    expect(cell(t, 'dyn', 'R² size (number)')).toMatch(/^\d\.\d{3}$/);
    expect(cell(t, 'dyn', 'R² size (category)')).toMatch(/^\d\.\d{3}$/);
  });

  it('top drop-one picks the largest finite ΔR²', () => {
    const d = { dropOne: [{ name: 'a', group: 'static', deltaR2: 0.1 }, { name: 'b', group: 'dynamic', deltaR2: Number.NaN }, { name: 'c', group: 'position', deltaR2: 0.25 }] } as unknown as DecisionTimingResult;
    expect(topDropOne(d)).toBe('c (position) 0.250');
    expect(topDropOne({ dropOne: [] } as unknown as DecisionTimingResult)).toBe('n/a');
  });
});

describe('over seeds', () => {
  it('pools mean ± sample sd with the 95% t-interval over seeds, says how many values were defined', () => {
    // mean 0.9, sample sd 0.0707, t_{0.975, 1} = 12.7062: half width 12.7062 * 0.0707 / sqrt 2 = 0.6353
    expect(pooled([0.95, 0.85])).toBe('0.900 ± 0.071 [0.265, 1.535]');
    expect(pooled([0.95, Number.NaN, 0.85])).toBe('0.900 ± 0.071 [0.265, 1.535] (2 of 3)');
    expect(pooled([0.5])).toBe('0.500 (1 seed)');
    expect(pooled([undefined, null])).toBe('n/a');
  });

  it('compares seed groups that differ in one grid value: Welch interval, verdict and seeds for power', () => {
    const fake = (name: string, partial: number) => ({ name, alignment: { partial: { exitDepth: { statistic: partial } } } }) as unknown as RunAnalysis;
    const runs = [
      ...[0.10, 0.12, 0.11].map((v, i) => fake(`sw/task=t,policy=a,seed=${i}`, v)),
      ...[-0.05, -0.07, -0.06].map((v, i) => fake(`sw/task=t,policy=b,seed=${i}`, v)),
      ...[0.12, 0.14, 0.10].map((v, i) => fake(`sw/task=t,policy=c,seed=${i}`, v)),
      ...[0.5, 0.5].map((v, i) => fake(`sw/task=u,policy=d,seed=${i}`, v)), // differs in two values from the others
    ];
    const t = seedComparisonTable(runs)!;
    const row = (label: string) => t.split('\n').find((l) => l.startsWith(`| ${label} |`))!.replace(/ \|$/, '').split(' | ').map((c) => c.trim());
    // a vs b: difference 0.17, sd 0.01 each: Welch df 4, half width t_{0.975,4} * 0.01 * sqrt(2/3) = 0.0227
    const ab = row('policy=a vs policy=b (task=t)');
    expect(ab.slice(1, 7)).toEqual(['partial ρ', '3 / 3', '0.170', '[0.147, 0.193]', 'differ', '2']);
    // a vs c: difference -0.01 with sds 0.01 and 0.02: not detected; 80% power needs more seeds
    const ac = row('policy=a vs policy=c (task=t)');
    expect(ac[5]).toBe('not detected');
    expect(ac[3]).toBe('-0.010');
    expect(Number(ac[6])).toBe(seedsForPower(-0.01, Math.sqrt((0.0001 + 0.0004) / 2)));
    expect(Number(ac[6])).toBeGreaterThan(20);
    expect(t).not.toContain('policy=d');
  });

  it('groups runs that differ only in their seed, with the not-learned count', () => {
    const runs = analyseRuns([
      { name: 'sw/policy=a,seed=0', traces: [fixtureTrace(alignedExamples(20, 1))], heldOutAccuracy: 0.95 },
      { name: 'sw/policy=a,seed=1', traces: [fixtureTrace(alignedExamples(20, 2))], heldOutAccuracy: 0.85 },
    ], 20, 0);
    const t = seedSummaryTable(runs)!;
    expect(cell(t, 'sw/policy=a', 'seeds')).toBe('2');
    expect(cell(t, 'sw/policy=a', 'analysis acc')).toBe('0.900 ± 0.071 [0.265, 1.535] (1 not learned)');
    const rho = runs.map((r) => r.alignment!.exitDepth.spearman.statistic);
    const mean = (rho[0]! + rho[1]!) / 2;
    const sd = Math.abs(rho[0]! - rho[1]!) / Math.SQRT2;
    expect(cell(t, 'sw/policy=a', 'Spearman ρ')).toMatch(new RegExp(`^${mean.toFixed(3)} ± ${sd.toFixed(3)} \\[`));
    const dt = seedTimingTable(runs)!;
    expect(cell(dt, 'sw/policy=a', 'R² all')).toMatch(/^\d\.\d{3} ± \d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\]$/);
  });
});

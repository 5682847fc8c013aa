/** Analyses over hand-built traces whose answers are computed by hand. */
import { describe, expect, it } from 'vitest';
import { buildTrace } from '../testing/build-trace.js';
import { syntheticTrace } from '../testing/synthetic-trace.js';
import { alignment } from './alignment.js';
import { decisionTiming } from './decision-timing.js';
import { efficiency, paretoFront } from './efficiency.js';
import { generalization } from './generalization.js';

const t = (depth: number, difficulty: number, correct = true) => ({ depth, difficulty, correct });

describe('alignment', () => {
  it('depth = difficulty gives rho = tau = 1 and the per-difficulty table by hand', () => {
    const tr = buildTrace({}, [
      { size: 1, tokens: [t(1, 1), t(2, 2, false)] },
      { size: 2, tokens: [t(3, 3), t(1, 1)] },
      { size: 2, tokens: [t(2, 2), t(3, 3)] },
    ]);
    const a = alignment(tr, { resamples: 50 });
    expect(a.exitDepth.spearman.statistic).toBeCloseTo(1, 12);
    expect(a.exitDepth.kendall.statistic).toBeCloseTo(1, 12);
    expect(a.exitDepth.spearman.ci.lower).toBeCloseTo(1, 12);
    expect(a.expectedDepth).toBeNull();
    expect(a.byDifficulty).toEqual([
      { difficulty: 1, tokens: 2, meanDepth: 1, sdDepth: 0, accuracy: 1 },
      { difficulty: 2, tokens: 2, meanDepth: 2, sdDepth: 0, accuracy: 0.5 },
      { difficulty: 3, tokens: 2, meanDepth: 3, sdDepth: 0, accuracy: 1 },
    ]);
  });

  it('reports expected-depth correlation when every token has one; fixed depth gives NaN', () => {
    const tr = buildTrace({}, [
      { size: 1, tokens: [{ depth: 2, difficulty: 1, expected: 1.5 }, { depth: 2, difficulty: 2, expected: 2.5 }] },
      { size: 1, tokens: [{ depth: 2, difficulty: 3, expected: 2.0 }, { depth: 2, difficulty: 1, expected: 1.0 }] },
    ]);
    const a = alignment(tr, { resamples: 20 });
    expect(a.exitDepth.spearman.statistic).toBeNaN(); // constant depth: undefined, not 0
    // expected [1.5,2.5,2,1] vs difficulty [1,2,3,1]: ranks [2,4,3,1] vs [1.5,3,4,1.5]
    expect(a.expectedDepth!.spearman.statistic).toBeCloseTo(0.7378647873726218, 12);
  });
});

describe('generalization', () => {
  it('splits by the training size range and compares tMax', () => {
    const mk = (tMax: number, extra: number) => buildTrace({ tMax, trainSizes: [1, 2] }, [
      { size: 1, tokens: [t(1, 1), t(2, 1)] },
      { size: 2, tokens: [t(2, 1), t(2, 1, false)] },
      { size: 4, tokens: [t(3 + extra, 1, false), t(3 + extra, 1)] },
    ]);
    const g = generalization([mk(4, 0), mk(8, 2)]);
    expect(g.tMaxValues).toEqual([4, 8]);
    const row4 = g.bySize.find((r) => r.tMax === 4 && r.size === 4)!;
    expect(row4).toMatchObject({ inDistribution: false, tokenAccuracy: 0.5, exactMatch: 0, meanDepth: 3 });
    const inSplit = g.splits.find((s) => s.tMax === 4 && s.split === 'in')!;
    expect(inSplit).toMatchObject({ examples: 2, tokens: 4, tokenAccuracy: 0.75, exactMatch: 0.5, meanDepth: 1.75 });
    expect(g.splits.find((s) => s.tMax === 8 && s.split === 'out')!.meanDepth).toBe(5);
  });
});

describe('decisionTiming', () => {
  it('depth driven only by a dynamic feature: R2 dynamic = 1, unique static = 0', () => {
    const tokens = (k: number) => [0, 1, 2, 3].map((i) => ({ depth: 1 + ((i + k) % 4), difficulty: 1, s: { size: k, pos: i }, d: { carry: (i + k) % 4 } }));
    const tr = buildTrace({ features: [
      { name: 'size', group: 'static', kind: 'numeric' }, { name: 'pos', group: 'static', kind: 'categorical' },
      { name: 'carry', group: 'dynamic', kind: 'numeric' },
    ] }, [0, 1, 2].map((k) => ({ size: 2, tokens: tokens(k) })));
    const d = decisionTiming(tr);
    expect(d.r2Dynamic).toBeCloseTo(1, 12);
    expect(d.r2Both).toBeCloseTo(1, 12);
    expect(d.uniqueStatic).toBeCloseTo(0, 12);
    expect(d.uniqueStatic + d.uniqueDynamic + d.shared).toBeCloseTo(d.r2Both, 12);
    // single-feature fits: carry alone explains everything; every example has depths
    // 1..4, so size (per-example) explains nothing; pos (categorical, 4 levels) equals
    // carry only up to the example shift
    expect(d.perFeature[0]).toEqual({ name: 'carry', group: 'dynamic', r2: expect.closeTo(1, 12) });
    expect(d.perFeature.find((f) => f.name === 'size')!.r2).toBeCloseTo(0, 12);
    const pos = d.perFeature.find((f) => f.name === 'pos')!.r2;
    expect(pos).toBeGreaterThanOrEqual(0);
    expect(pos).toBeLessThan(1);
  });

  it('a constant feature has no single-feature R2 (NaN, listed last)', () => {
    const tokens = (k: number) => [0, 1, 2].map((i) => ({ depth: 1 + i, difficulty: 1, s: { size: 3 }, d: { step: i + k } }));
    const tr = buildTrace({ features: [{ name: 'size', group: 'static', kind: 'numeric' }, { name: 'step', group: 'dynamic', kind: 'numeric' }] },
      [0, 1].map((k) => ({ size: 3, tokens: tokens(k) })));
    const d = decisionTiming(tr);
    expect(d.perFeature.map((f) => f.name)).toEqual(['step', 'size']);
    expect(d.perFeature[1]!.r2).toBeNaN();
    expect(d.perFeature[0]!.r2).toBeGreaterThan(0.5);
  });

  it('a static-only synthetic policy is explained by static features', () => {
    const d = decisionTiming(syntheticTrace({ dynamicWeight: 0 }));
    expect(d.uniqueStatic).toBeGreaterThan(d.uniqueDynamic);
  });

  it('names a missing feature', () => {
    const tr = buildTrace({ features: [{ name: 'size', group: 'static', kind: 'numeric' }] }, [{ size: 1, tokens: [t(1, 1), t(2, 1), t(1, 2)] }]);
    expect(() => decisionTiming(tr)).toThrow('decisionTiming: example 0 token 0 lacks static feature "size"');
  });
});

describe('efficiency', () => {
  it('computes depth fraction and FLOPs against fixed depth by hand', () => {
    const tr = buildTrace({ tMax: 4, flopsPerIteration: 10 }, [{ size: 1, tokens: [t(1, 1), t(3, 1)] }, { size: 1, tokens: [t(4, 1, false)] }]);
    const e = efficiency(tr);
    expect(e).toMatchObject({ tokens: 3, executedFlops: 80, fixedDepthFlops: 120, meanDepth: 8 / 3 });
    expect(e.flopsRatio).toBeCloseTo(2 / 3, 12);
    expect(e.depthFraction).toBeCloseTo(2 / 3, 12);
    expect(e.tokenAccuracy).toBeCloseTo(2 / 3, 12);
  });

  it('pareto front keeps only non-dominated points', () => {
    const pts = paretoFront([
      { label: 'a', accuracy: 0.9, compute: 5 },
      { label: 'b', accuracy: 0.8, compute: 6 }, // dominated by a
      { label: 'c', accuracy: 0.7, compute: 2 },
      { label: 'd', accuracy: 0.9, compute: 5 }, // tie with a: neither dominates
    ]);
    expect(pts.map((p) => p.onFront)).toEqual([true, false, true, true]);
  });
});

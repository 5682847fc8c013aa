/** Analyses over hand-built traces whose answers are computed by hand. */
import { describe, expect, it } from 'vitest';
import { buildTrace } from '../testing/build-trace.js';
import { syntheticTrace } from '../testing/synthetic-trace.js';
import { alignment } from './alignment.js';
import { stratifiedSpearman } from './alignment-controls.js';
import { decisionTiming } from './decision-timing.js';
import { declaredFeatureSets } from './feature-sets.js';
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
    expect(d.perFeature.find((f) => f.name === 'size (number)')!.r2).toBeCloseTo(0, 12);
    expect(d.perFeature.find((f) => f.name === 'size (category)')!.r2).toBeCloseTo(0, 12);
    const pos = d.perFeature.find((f) => f.name === 'pos')!.r2;
    expect(pos).toBeGreaterThanOrEqual(0);
    expect(pos).toBeLessThan(1);
  });

  it('a constant feature has no single-feature R2 (NaN, listed last)', () => {
    const tokens = (k: number) => [0, 1, 2].map((i) => ({ depth: 1 + i, difficulty: 1, s: { size: 3 }, d: { step: i + k } }));
    const tr = buildTrace({ features: [{ name: 'size', group: 'static', kind: 'numeric' }, { name: 'step', group: 'dynamic', kind: 'numeric' }] },
      [0, 1].map((k) => ({ size: 3, tokens: tokens(k) })));
    const d = decisionTiming(tr);
    // depth = 1 + token index = position = answer step exactly
    const r2 = Object.fromEntries(d.perFeature.map((f) => [f.name, f.r2]));
    expect(Object.keys(r2).sort()).toEqual(['answer_step', 'position (absolute, no group)', 'size (category)', 'size (number)', 'step']);
    expect(r2['answer_step']).toBeCloseTo(1, 12);
    expect(r2['position (absolute, no group)']).toBeCloseTo(1, 12);
    expect(r2['step']).toBeGreaterThan(0.5);
    expect(d.perFeature.slice(-2).map((f) => f.name).sort()).toEqual(['size (category)', 'size (number)']);
    expect(r2['size (number)']).toBeNaN();
    expect(r2['size (category)']).toBeNaN();
    expect(d.groups).toEqual({ static: [], position: ['answer_step'], dynamic: ['step'] });
  });

  it('three groups on orthogonal columns: shares, unique parts and drop-one by hand', () => {
    // 4 examples x 2 tokens. a (static, per example) = [1,1,1,1,-1,-1,-1,-1] over tokens,
    // b (dynamic) = [1,1,-1,-1,1,1,-1,-1], position = token index 0/1 (centred: +-1/2).
    // Centred columns are orthogonal; depth = 5 + 2a + b + 2 position has variance parts
    // a : b : position = 4 : 1 : 1 of 6.
    const a = [1, 1, -1, -1], b = [[1, 1], [-1, -1], [1, 1], [-1, -1]];
    const tr = buildTrace({ tMax: 10, features: [{ name: 'a', group: 'static', kind: 'numeric' }, { name: 'b', group: 'dynamic', kind: 'numeric' }] },
      a.map((ae, e) => ({ size: 3, tokens: [0, 1].map((p) => ({ depth: 5 + 2 * ae + b[e]![p]! + 2 * p, difficulty: 1 + p + e, s: { a: ae }, d: { b: b[e]![p]! } })) })));
    const d = decisionTiming(tr);
    expect(d.groups).toEqual({ static: ['a'], position: ['answer_step'], dynamic: ['b'] });
    const w = d.threeWay;
    expect(w.r2.all).toBeCloseTo(1, 12);
    expect(w.r2.static).toBeCloseTo(4 / 6, 12);
    expect(w.shapley.static).toBeCloseTo(4 / 6, 12);
    expect(w.shapley.position).toBeCloseTo(1 / 6, 12);
    expect(w.shapley.dynamic).toBeCloseTo(1 / 6, 12);
    expect(w.unique.position).toBeCloseTo(1 / 6, 12);
    expect(w.shared.all).toBeCloseTo(0, 12);
    // two-group view leaves position out: static + dynamic explain 5/6
    expect(d.r2Both).toBeCloseTo(5 / 6, 12);
    const drop = Object.fromEntries(d.dropOne.map((f) => [f.name, f.deltaR2]));
    expect(drop).toEqual({ a: expect.closeTo(4 / 6, 12), b: expect.closeTo(1 / 6, 12), answer_step: expect.closeTo(1 / 6, 12) });
    // orthogonal groups: their fitted values are uncorrelated
    expect(d.collinearity.staticPosition).toBeCloseTo(0, 12);
    expect(d.collinearity.staticDynamic).toBeCloseTo(0, 12);
  });

  it('drops a feature equal to the difficulty label, with a note', () => {
    const tr = buildTrace({ features: [{ name: 'layer', group: 'static', kind: 'numeric' }, { name: 'c', group: 'dynamic', kind: 'numeric' }] },
      [0, 1, 2].map((e) => ({ size: 2, tokens: [0, 1, 2].map((p) => ({ depth: 1 + ((p + e) % 3), difficulty: (p + e) % 3, s: { layer: (p + e) % 3 }, d: { c: p * e } })) })));
    const d = decisionTiming(tr);
    expect(d.groups.static).toEqual([]);
    expect(d.perFeature.map((f) => f.name)).not.toContain('layer');
    expect(d.notes).toContain('feature "layer" equals the difficulty label on every token: not used as an explaining feature');
  });

  it('missing values (dyck-like): numeric imputed 0 plus a missing indicator; categorical missing is a level', () => {
    // distance is missing (NaN) when no bracket is open; depth = 1 there, else 2 + distance.
    // Imputation alone (0) cannot fit this (missing and distance 0 differ by 1); the indicator can.
    const dist = [Number.NaN, 0, 1, Number.NaN, 2, 0, 1, Number.NaN];
    const top = [Number.NaN, 0, 1, Number.NaN, 1, 0, 0, Number.NaN];
    const tr = buildTrace({ features: [{ name: 'distance', group: 'dynamic', kind: 'numeric' }, { name: 'top_type', group: 'dynamic', kind: 'categorical' }] },
      [0, 1].map((e) => ({ size: 4, tokens: [0, 1, 2, 3].map((p) => {
        const v = dist[4 * e + p]!;
        return { depth: Number.isNaN(v) ? 1 : 2 + v, difficulty: 1 + p, d: { distance: v, top_type: top[4 * e + p]! } };
      }) })));
    const d = decisionTiming(tr);
    expect(d.perFeature.find((f) => f.name === 'distance')!.r2).toBeCloseTo(1, 12);
    // top_type levels {0, 1, missing}: one-hot with a missing level fits the group means
    const tt = d.perFeature.find((f) => f.name === 'top_type')!.r2;
    // depths: missing -> 1,1,1; top 0 -> 2,2,3 (dist 0,0,1); top 1 -> 3,4 (dist 1,2)
    const depths = [1, 2, 3, 1, 4, 2, 3, 1];
    const mean = depths.reduce((x, y) => x + y, 0) / 8;
    const tss = depths.reduce((x, y) => x + (y - mean) ** 2, 0);
    const rss = (2 - 7 / 3) ** 2 * 2 + (3 - 7 / 3) ** 2 + 0.5 ** 2 * 2;
    expect(tt).toBeCloseTo(1 - rss / tss, 12);
    expect(d.r2Dynamic).toBeCloseTo(1, 12);
  });

  it('a static-only synthetic policy is explained by static features', () => {
    const d = decisionTiming(syntheticTrace({ dynamicWeight: 0 }));
    expect(d.uniqueStatic).toBeGreaterThan(d.uniqueDynamic);
  });

  it('a version 1 trace (position declared static): the answer step is the position group, the absolute position in none', () => {
    const tr = buildTrace({ version: 1, features: [{ name: 'position', group: 'static', kind: 'numeric' }, { name: 'c', group: 'dynamic', kind: 'numeric' }] },
      [0, 1, 2].map((e) => ({ size: 2, tokens: [0, 1, 2].map((p) => ({ depth: 1 + p, difficulty: 1, s: { position: p }, d: { c: (p * e) % 2 } })) })));
    const d = decisionTiming(tr);
    expect(d.groups).toEqual({ static: [], position: ['answer_step'], dynamic: ['c'] });
    expect(d.threeWay.r2.position).toBeCloseTo(1, 12);
  });

  it('graph-like position (2·edges + answer step): the control is the answer step as a category; static and position collinearity is reported', () => {
    // edges = size; depth = answer step squared (not linear in it) + size; absolute position = 2·size + step
    const tr = buildTrace({ features: [{ name: 'position', group: 'position', kind: 'numeric' }, { name: 'edges', group: 'static', kind: 'numeric' }] },
      [2, 3, 4, 2, 3, 4].map((size, e) => ({ size, tokens: [0, 1, 2].map((k) => ({ depth: 1 + k * k + size, difficulty: (k + e) % 3, p: { position: 2 * size + k }, s: { edges: size } })) })));
    const d = decisionTiming(tr);
    expect(d.groups.position).toEqual(['answer_step']);
    // one-hot answer step fits k² exactly: position alone explains its whole share
    expect(d.threeWay.r2.all).toBeCloseTo(1, 12);
    expect(d.threeWay.unique.position + d.threeWay.unique.static).toBeCloseTo(1, 12);
    // every size meets every step equally: the groups' fitted values are uncorrelated
    expect(d.collinearity.staticPosition).toBeCloseTo(0, 12);
    // a sample where big graphs only reach late steps: the groups' fits correlate
    const skew = buildTrace({ features: [{ name: 'edges', group: 'static', kind: 'numeric' }] },
      [1, 2, 3].map((size) => ({ size, tokens: Array.from({ length: size }, (_, k) => ({ depth: 1 + size + k, difficulty: k, s: { edges: size } })) })));
    expect(decisionTiming(skew).collinearity.staticPosition).toBeGreaterThan(0.3);
  });

  it('keeps label proxies out of the groups by default, and in them on request', () => {
    const tr = buildTrace({ features: [{ name: 'in_degree', group: 'static', kind: 'numeric', proxy: true }, { name: 'c', group: 'dynamic', kind: 'numeric' }] },
      [0, 1, 2].map((e) => ({ size: 2, tokens: [0, 1, 2].map((p) => ({ depth: 1 + p + e, difficulty: p, s: { in_degree: p + e }, d: { c: (p * e) % 2 } })) })));
    const without = decisionTiming(tr);
    expect(without).toMatchObject({ proxies: ['in_degree'], proxyMode: 'exclude' });
    expect(without.groups.static).toEqual([]);
    const withProxies = decisionTiming(tr, { proxies: 'include' });
    expect(withProxies.groups.static).toEqual(['in_degree']);
    expect(withProxies.threeWay.r2.all).toBeCloseTo(1, 12);
    expect(without.threeWay.r2.all).toBeLessThan(0.999);
  });

  it('feature sets: two copies of one feature cost nothing one at a time, their share together (by hand)', () => {
    // The orthogonal design above with a second copy of a: depth = 5 + 2a + b + 2 position,
    // variance parts a : b : position = 4 : 1 : 1 of 6. Each copy dropped alone leaves the
    // other, so drop-one is 0 for both; the set {a, a2} dropped costs 4/6 and explains 4/6 alone.
    const a = [1, 1, -1, -1], b = [[1, 1], [-1, -1], [1, 1], [-1, -1]];
    const tr = buildTrace({ tMax: 10, features: [
      { name: 'a', group: 'static', kind: 'numeric' }, { name: 'a2', group: 'static', kind: 'numeric' },
      { name: 'b', group: 'dynamic', kind: 'numeric' }, { name: 'in_degree', group: 'static', kind: 'numeric', proxy: true },
    ] }, a.map((ae, e) => ({ size: 3, tokens: [0, 1].map((p) => ({ depth: 5 + 2 * ae + b[e]![p]! + 2 * p, difficulty: 1 + p + e, s: { a: ae, a2: ae, in_degree: p }, d: { b: b[e]![p]! } })) })));
    const d = decisionTiming(tr, { featureSets: { copies: ['a', 'a2'], 'b and a proxy': ['b', 'in_degree'], steps: ['answer_step'] } });
    const drop = Object.fromEntries(d.dropOne.map((f) => [f.name, f.deltaR2]));
    expect(drop['a']).toBeCloseTo(0, 12);
    expect(drop['a2']).toBeCloseTo(0, 12);
    expect(d.featureSets).toEqual([
      { name: 'copies', features: ['a', 'a2'], leftOut: [], deltaR2: expect.closeTo(4 / 6, 12), r2Alone: expect.closeTo(4 / 6, 12) },
      { name: 'b and a proxy', features: ['b'], leftOut: ['in_degree'], deltaR2: expect.closeTo(1 / 6, 12), r2Alone: expect.closeTo(1 / 6, 12) },
      { name: 'steps', features: ['answer_step'], leftOut: [], deltaR2: expect.closeTo(1 / 6, 12), r2Alone: expect.closeTo(1 / 6, 12) },
    ]);
    // a set of left-out features only has no figures; without the option there are no sets
    expect(decisionTiming(tr, { featureSets: { proxy: ['in_degree'] } }).featureSets[0]).toMatchObject({ features: [], leftOut: ['in_degree'], deltaR2: NaN, r2Alone: NaN });
    expect(decisionTiming(tr).featureSets).toEqual([]);
  });

  it('feature sets: a name the trace does not declare, or an empty set, is refused in one line', () => {
    const tr = buildTrace({ features: [{ name: 'hub', group: 'static', kind: 'numeric' }] },
      [0, 1, 2].map((e) => ({ size: 2, tokens: [0, 1].map((p) => ({ depth: 1 + p + e, difficulty: p, s: { hub: e % 2 } })) })));
    expect(() => decisionTiming(tr, { featureSets: { hubs: ['hub', 'hubs'] } })).toThrow('decisionTiming: featureSets: set "hubs" names "hubs", not a feature of this trace (features: answer_step, hub)');
    expect(() => decisionTiming(tr, { featureSets: { none: [] } })).toThrow('decisionTiming: featureSets: set "none" names no feature');
    // the same names decide which sets a trace can answer (answer_step always)
    expect(declaredFeatureSets(tr, { hubs: ['hub', 'hubs'], hub: ['hub'], steps: ['answer_step', 'hub'] })).toEqual({ hub: ['hub'], steps: ['answer_step', 'hub'] });
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

describe('alignment controls', () => {
  // 30 examples x 6 answer tokens at positions 10..15; difficulty = position + noise in {0..3}.
  const mk = (depthOf: (p: number, noise: number) => number, sizes = [3]) => {
    let s = 11;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    return buildTrace({}, Array.from({ length: 30 }, (_, e) => ({
      size: sizes[e % sizes.length]!,
      tokens: Array.from({ length: 6 }, (_, p) => ({ position: 10 + p, difficulty: p + Math.floor(rand() * 4), depth: depthOf(p, rand()) })),
    })));
  };

  it('a depth that is a pure function of position: plain rho high, partial 0, position R2 of depth 1', () => {
    const a = alignment(mk((p) => 1 + p), { resamples: 100 });
    expect(a.exitDepth.spearman.statistic).toBeGreaterThan(0.8);
    expect(a.partial.covariates).toEqual(['answer step']);
    expect(a.partial.exitDepth.statistic).toBe(0);
    expect(a.partial.note).toMatch(/function of answer step/);
    expect(a.positionBaseline.depthR2).toBeCloseTo(1, 12);
    expect(a.positionBaseline.spearmanPositionDepth).toBeCloseTo(1, 12);
    expect(a.positionBaseline.difficultyR2).toBeGreaterThan(0.5);
    // within a position depth is constant: no stratum qualifies
    expect(a.stratified).toEqual({ spearman: Number.NaN, positions: 0, tokens: 0 });
    expect(a.undefinedReason).toBeUndefined();
  });

  it('a depth that follows difficulty within positions: partial and stratified rho stay high', () => {
    const tr = mk(() => 0);
    const aligned = { ...tr, examples: tr.examples.map((ex) => ({ ...ex, tokens: ex.tokens.map((t) => ({ ...t, exitDepth: t.difficulty + 1, stepPredictions: Array(t.difficulty + 1).fill(5) })) })) };
    const a = alignment(aligned, { resamples: 100 });
    expect(a.exitDepth.spearman.statistic).toBeCloseTo(1, 12);
    expect(a.partial.exitDepth.statistic).toBeCloseTo(1, 12);
    expect(a.partial.exitDepth.ci.lower).toBeCloseTo(1, 9);
    // 6 answer steps x 30 tokens, each with variance in both, within-cell rho = 1
    expect(a.stratified).toEqual({ spearman: expect.closeTo(1, 12), positions: 6, tokens: 180 });
  });

  it('size drives depth and difficulty alike: controls by (size, answer step) cells leave nothing, a per-step control would not', () => {
    let s = 5;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const tr = buildTrace({}, Array.from({ length: 60 }, (_, e) => {
      const size = 2 + (e % 3);
      return { size, tokens: Array.from({ length: 4 }, (_, k) => ({ position: 2 * size + k, difficulty: size + Math.floor(rand() * 2), depth: size })) };
    }));
    const a = alignment(tr, { resamples: 20 });
    expect(a.exitDepth.spearman.statistic).toBeGreaterThan(0.5);
    // depth is constant in every (size, answer step) cell: partial 0, no cell qualifies
    expect(a.partial.exitDepth.statistic).toBe(0);
    expect(a.stratified.positions).toBe(0);
    // the same data stratified by answer step alone shows a strong within-step rho
    const steps = Float64Array.from(tr.examples.flatMap((ex) => ex.tokens.map((_, k) => k)));
    const depth = Float64Array.from(tr.examples.flatMap((ex) => ex.tokens.map((t) => t.exitDepth)));
    const diff = Float64Array.from(tr.examples.flatMap((ex) => ex.tokens.map((t) => t.difficulty)));
    expect(stratifiedSpearman(steps, depth, diff).spearman).toBeGreaterThan(0.5);
  });

  it('adds size as a covariate when sizes vary', () => {
    const a = alignment(mk((p, r) => 1 + p + Math.floor(3 * r), [2, 3]), { resamples: 50 });
    expect(a.partial.covariates).toEqual(['answer step', 'size']);
    expect(Number.isFinite(a.partial.exitDepth.statistic)).toBe(true);
    expect(a.partial.exitDepth.ci.validResamples).toBe(50);
  });

  it('constant difficulty: NaN statistics with undefinedReason; no tokens: a one-line error', () => {
    const tr = buildTrace({}, [{ size: 1, tokens: [t(1, 2), t(2, 2)] }, { size: 1, tokens: [t(3, 2), t(1, 2)] }]);
    const a = alignment(tr, { resamples: 20 });
    expect(a.undefinedReason).toBe('undefined: all tokens have one difficulty');
    expect(a.exitDepth.spearman.statistic).toBeNaN();
    expect(a.partial.exitDepth.statistic).toBeNaN();
    expect(() => alignment(buildTrace({}, [{ size: 1, tokens: [] }, { size: 1, tokens: [] }]))).toThrow('alignment: the trace has no target tokens');
  });
});

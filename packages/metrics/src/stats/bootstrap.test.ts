/** Cluster bootstrap: determinism, cluster (not token) resampling, coverage of the point estimate. */
import { describe, expect, it } from 'vitest';
import { clusterBootstrapCI, quantileType7 } from './bootstrap.js';
import { spearmanUnchecked } from './correlation.js';

describe('quantileType7', () => {
  it('matches R quantile(type = 7) on 1..10', () => {
    // R: quantile(1:10, c(0.025, 0.5, 0.975)) -> 1.225 5.500 9.775
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileType7(s, 0.025)).toBeCloseTo(1.225, 12);
    expect(quantileType7(s, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantileType7(s, 0.975)).toBeCloseTo(9.775, 12);
  });
});

describe('clusterBootstrapCI', () => {
  const x: number[] = [], y: number[] = [], ids: number[] = [];
  for (let e = 0; e < 30; e++) for (let t = 0; t < 5; t++) { x.push(t); y.push(t + ((e * 7 + t * 3) % 5)); ids.push(e); }

  it('is deterministic for a seed and brackets the point estimate', () => {
    const a = clusterBootstrapCI(spearmanUnchecked, x, y, ids, { resamples: 300, seed: 7 });
    const b = clusterBootstrapCI(spearmanUnchecked, x, y, ids, { resamples: 300, seed: 7 });
    expect(a).toEqual(b);
    const r = spearmanUnchecked(x, y);
    expect(a.lower).toBeLessThan(r);
    expect(a.upper).toBeGreaterThan(r);
    expect(a.validResamples).toBe(300);
  });

  it('resamples whole clusters: identical clusters give a zero-width interval', () => {
    // Every example has the same tokens, so every cluster resample has the same statistic.
    const xs: number[] = [], ys: number[] = [], cs: number[] = [];
    for (let e = 0; e < 10; e++) for (const [a, b] of [[1, 2], [2, 1], [3, 5], [4, 4]] as const) { xs.push(a); ys.push(b); cs.push(e); }
    const ci = clusterBootstrapCI(spearmanUnchecked, xs, ys, cs, { resamples: 200, seed: 1 });
    expect(ci.lower).toBeCloseTo(spearmanUnchecked(xs, ys), 12);
    expect(ci.upper).toBeCloseTo(spearmanUnchecked(xs, ys), 12);
  });

  it('rejects bad options and a single cluster', () => {
    expect(() => clusterBootstrapCI(spearmanUnchecked, x, y, ids, { level: 1 })).toThrow(/"level"/);
    expect(() => clusterBootstrapCI(spearmanUnchecked, [1, 2, 3], [1, 2, 3], [0, 0, 0])).toThrow(/at least 2 clusters/);
  });
});

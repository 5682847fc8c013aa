/**
 * Correlations against published reference values (with ties) and properties that
 * can fail: monotone invariance, symmetry, bounds, an O(n^2) Kendall oracle and the
 * no-ties Spearman formula.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pearson, spearman } from './correlation.js';
import { kendall, kendallParts } from './kendall.js';

// R's ?cor.test example (Hollander & Wolfe 1973, p. 187f., tuna quality); R prints
// cor = 0.5711816, t = 1.8411, df = 7, p-value = 0.1082; tau = 0.4444444; rho = 0.6.
const tunaX = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1];
const tunaY = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8];

describe('reference values', () => {
  it('Pearson on R cor.test tuna data', () => {
    const r = pearson(tunaX, tunaY);
    expect(r.statistic).toBeCloseTo(0.5711816, 7);
    expect(r.pValue).toBeCloseTo(0.1082, 4);
  });

  it('Spearman and Kendall on R cor.test tuna data (no ties)', () => {
    expect(spearman(tunaX, tunaY).statistic).toBeCloseTo(0.6, 12);
    expect(kendall(tunaX, tunaY).statistic).toBeCloseTo(0.4444444, 7);
  });

  it('Spearman with a tie in y: scipy.stats.spearmanr docs example', () => {
    // spearmanr([1,2,3,4,5], [5,6,7,8,7]) -> statistic=0.8207826816681233, pvalue=0.08858700531354381
    const r = spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
    expect(r.statistic).toBeCloseTo(0.8207826816681233, 13);
    expect(r.pValue).toBeCloseTo(0.08858700531354381, 10);
  });

  it('Kendall tau-b with ties in x and y: scipy.stats.kendalltau docs example', () => {
    // kendalltau([12,2,1,12,2], [1,4,7,1,0]) -> tau=-0.47140452079103173, p=0.2827454599327748
    // (hand check: C = 2, D = 6, ties n1 = 2, n2 = 1, tau_b = -4 / sqrt(8 * 9)).
    const r = kendall([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]);
    expect(r.statistic).toBeCloseTo(-0.47140452079103173, 13);
    expect(r.pValue).toBeCloseTo(0.2827454599327748, 10);
  });
});

describe('degenerate inputs', () => {
  it('throws on length mismatch, n < 3 and non-finite values', () => {
    expect(() => spearman([1, 2, 3], [1, 2])).toThrow(/same length/);
    expect(() => kendall([1, 2], [1, 2])).toThrow(/at least 3/);
    expect(() => pearson([1, Number.NaN, 3], [1, 2, 3])).toThrow(/x\[1\] must be a finite number/);
  });
  it('constant input gives NaN statistic and NaN p-value', () => {
    for (const f of [pearson, spearman, kendall]) {
      const r = f([2, 2, 2, 2], [1, 2, 3, 4]);
      expect(r.statistic).toBeNaN();
      expect(r.pValue).toBeNaN();
    }
  });
});

/** Naive O(n^2) tau-b, written from the definition, as an oracle. */
function naiveKendall(x: number[], y: number[]): { tau: number; s: number } {
  let c = 0, d = 0, tx = 0, ty = 0;
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) {
      const sx = Math.sign(x[i]! - x[j]!), sy = Math.sign(y[i]! - y[j]!);
      if (sx === 0 && sy !== 0) tx++;
      else if (sy === 0 && sx !== 0) ty++;
      else if (sx * sy > 0) c++;
      else if (sx * sy < 0) d++;
    }
  return { tau: (c - d) / Math.sqrt((c + d + tx) * (c + d + ty)), s: c - d };
}

const tiedPairs = fc
  .integer({ min: 3, max: 40 })
  .chain((n) => fc.tuple(fc.array(fc.integer({ min: -6, max: 6 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: -6, max: 6 }), { minLength: n, maxLength: n })));
const nonConstant = (v: number[]): boolean => v.some((a) => a !== v[0]);

describe('properties', () => {
  it('Knight tau-b equals the O(n^2) definition', () => {
    fc.assert(fc.property(tiedPairs, ([x, y]) => {
      fc.pre(nonConstant(x) && nonConstant(y));
      const fast = kendallParts(x, y), slow = naiveKendall(x, y);
      expect(fast.s).toBe(slow.s);
      expect(fast.tauB).toBeCloseTo(slow.tau, 12);
    }), { numRuns: 200 });
  });

  it('Spearman and Kendall are invariant under strictly increasing transforms of either variable', () => {
    fc.assert(fc.property(tiedPairs, ([x, y]) => {
      fc.pre(nonConstant(x) && nonConstant(y));
      const fx = x.map((v) => v * v * v + 3 * v);
      const gy = y.map((v) => Math.exp(v / 3));
      expect(spearman(fx, y).statistic).toBeCloseTo(spearman(x, y).statistic, 12);
      expect(spearman(x, gy).statistic).toBeCloseTo(spearman(x, y).statistic, 12);
      expect(kendall(fx, gy).statistic).toBeCloseTo(kendall(x, y).statistic, 12);
    }), { numRuns: 150 });
  });

  it('correlations are symmetric and lie in [-1, 1]', () => {
    fc.assert(fc.property(tiedPairs, ([x, y]) => {
      fc.pre(nonConstant(x) && nonConstant(y));
      for (const f of [pearson, spearman, kendall]) {
        const a = f(x, y), b = f(y, x);
        expect(a.statistic).toBeCloseTo(b.statistic, 12);
        expect(Math.abs(a.statistic)).toBeLessThanOrEqual(1);
        expect(a.pValue).toBeGreaterThanOrEqual(0);
        expect(a.pValue).toBeLessThanOrEqual(1);
      }
    }), { numRuns: 150 });
  });

  it('without ties Spearman equals 1 - 6 sum d^2 / (n(n^2 - 1))', () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 30 }).chain((n) => fc.tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }))), ([x, y]) => {
      const n = x.length;
      const d2 = x.reduce((acc, xi, i) => acc + (xi - y[i]!) ** 2, 0);
      expect(spearman(x, y).statistic).toBeCloseTo(1 - (6 * d2) / (n * (n * n - 1)), 12);
    }), { numRuns: 100 });
  });
});

describe('numerics at extreme scales (issue 14)', () => {
  it('Pearson neither overflows at 1e200 nor underflows at 1e-200', () => {
    // [1,2,3] vs [1,2,4]: sxy = 3, sxx = 2, syy = 42/9, r = 3 / sqrt(28/3) = 0.98198;
    // t = r sqrt(1 / (1 - r^2)) = 5.196 on 1 df, p = 0.1210 (R: cor.test gives 0.121)
    for (const scale of [1, 1e200, 1e-200]) {
      const r = pearson([1 * scale, 2 * scale, 3 * scale], [1, 2, 4]);
      expect(r.statistic).toBeCloseTo(3 / Math.sqrt(28 / 3), 12);
      expect(r.pValue).toBeCloseTo(0.121, 3);
      expect(pearson([1, 2, 4], [1 * scale, 2 * scale, 3 * scale]).statistic).toBeCloseTo(0.98198, 5);
    }
  });
});

describe('fast paths agree with their oracles', () => {
  it('pearsonUnchecked equals the one-pass textbook formula on moderate values', async () => {
    const { pearsonUnchecked } = await import('./correlation.js');
    const textbook = (x: number[], y: number[]): number => {
      const n = x.length;
      let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < n; i++) { sx += x[i]!; sy += y[i]!; sxy += x[i]! * y[i]!; sxx += x[i]! ** 2; syy += y[i]! ** 2; }
      return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    };
    fc.assert(fc.property(tiedPairs, ([x, y]) => {
      fc.pre(nonConstant(x) && nonConstant(y));
      expect(pearsonUnchecked(x, y)).toBeCloseTo(textbook(x, y), 10);
    }), { numRuns: 100 });
  });

  it('Kendall: contingency path (few levels) and Knight path (many levels) equal the definition', () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 120 }).chain((n) => fc.tuple(
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }))), ([x, y]) => {
      fc.pre(nonConstant(x) && nonConstant(y));
      // reals with up to 120 distinct values x 4 levels stays on the table path; add a
      // high-cardinality copy of y (spread-out reals) to force the sort path.
      const slow = naiveKendall(x, y);
      expect(kendallParts(x, y).s).toBe(slow.s);
      const ySpread = y.map((v, i) => v * 1e6 + i * 1e-3);
      expect(kendallParts(x, ySpread).tauB).toBeCloseTo(naiveKendall(x, ySpread).tau, 12);
    }), { numRuns: 100 });
  });
});

/**
 * Partial Spearman: a hand-computed case, the one-covariate closed form as a property,
 * invariance under strictly increasing maps, and a depth that is a function of position.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spearman } from './correlation.js';
import { partialSpearman, partialSpearmanUnchecked } from './partial.js';

const closedForm = (x: number[], y: number[], z: number[]): number => {
  const rxy = spearman(x, y).statistic, rxz = spearman(x, z).statistic, ryz = spearman(y, z).statistic;
  return (rxy - rxz * ryz) / Math.sqrt((1 - rxz ** 2) * (1 - ryz ** 2));
};

describe('partialSpearman', () => {
  it('hand-computed: x = 1..5, y = [3,1,2,5,4], z = [1,1,2,2,3]', () => {
    // ranks: z -> [1.5,1.5,3.5,3.5,5]; rho_xy = 1 - 6*8/120 = 0.6; rho_xz = 9/sqrt(90);
    // rho_yz = 5.5/sqrt(90); partial = (0.6 - 0.55) / sqrt(0.1 * (1 - 30.25/90)) = 0.1940539
    // df = 5 - 2 - 1 = 2, and for df = 2 the two-sided p of t = r sqrt(2/(1-r^2)) is 1 - |r|.
    const r = partialSpearman([1, 2, 3, 4, 5], [3, 1, 2, 5, 4], [[1, 1, 2, 2, 3]]);
    const expected = 0.05 / Math.sqrt(0.1 * (1 - 30.25 / 90));
    expect(expected).toBeCloseTo(0.1940539, 7);
    expect(r.statistic).toBeCloseTo(expected, 12);
    expect(r.pValue).toBeCloseTo(1 - expected, 12);
    expect(r.k).toBe(1);
  });

  it('with no covariates it is the plain Spearman (df = n - 2)', () => {
    const x = [5, 1, 4, 2, 2, 8], y = [1, 2, 3, 3, 9, 7];
    const r = partialSpearman(x, y, []);
    expect(r.statistic).toBeCloseTo(spearman(x, y).statistic, 12);
    expect(r.pValue).toBeCloseTo(spearman(x, y).pValue, 12);
  });

  const triples = fc.integer({ min: 6, max: 40 }).chain((n) => fc.tuple(
    fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n })));
  const nonConstant = (v: number[]) => v.some((a) => a !== v[0]);

  it('one covariate: equals (r_DY - r_DZ r_YZ) / sqrt((1 - r_DZ^2)(1 - r_YZ^2)) on Spearman coefficients', () => {
    fc.assert(fc.property(triples, ([x, y, z]) => {
      fc.pre(nonConstant(x) && nonConstant(y) && nonConstant(z));
      const rxz = spearman(x, z).statistic, ryz = spearman(y, z).statistic;
      fc.pre(Math.abs(rxz) < 0.999 && Math.abs(ryz) < 0.999);
      expect(partialSpearman(x, y, [z]).statistic).toBeCloseTo(closedForm(x, y, z), 9);
    }), { numRuns: 200 });
  });

  it('is invariant under strictly increasing maps of each argument', () => {
    fc.assert(fc.property(triples, fc.integer({ min: 0, max: 5 }), ([x, y, z], w) => {
      fc.pre(nonConstant(x) && nonConstant(y));
      const z2 = z.map((v, i) => (v * 7 + i * w) % 5);
      const base = partialSpearmanUnchecked(x, y, [z, z2]);
      const mapped = partialSpearmanUnchecked(x.map((v) => Math.exp(v)), y.map((v) => v ** 3 + 2), [z.map((v) => 10 * v - 3), z2.map((v) => Math.sqrt(v))]);
      if (Number.isNaN(base)) expect(mapped).toBeNaN();
      else expect(mapped).toBeCloseTo(base, 9);
    }), { numRuns: 150 });
  });

  it('a depth that is a function of position has partial ~0 while the plain rho is high', () => {
    // 40 examples x 8 positions; difficulty = position + independent noise.
    let s = 7;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pos: number[] = [], depthExact: number[] = [], depthNoisy: number[] = [], diff: number[] = [];
    for (let e = 0; e < 40; e++) for (let p = 0; p < 8; p++) {
      pos.push(p);
      depthExact.push(1 + Math.floor(p / 2) * 2 + (p % 2)); // strictly increasing in p
      depthNoisy.push(p + 0.5 * rand());
      diff.push(p + Math.floor(rand() * 4));
    }
    expect(spearman(depthExact, diff).statistic).toBeGreaterThan(0.8);
    const exact = partialSpearman(depthExact, diff, [pos]);
    expect(exact.statistic).toBe(0);
    expect(exact.explainedByCovariates).toBe(true);
    expect(spearman(depthNoisy, diff).statistic).toBeGreaterThan(0.8);
    const noisy = partialSpearman(depthNoisy, diff, [pos]);
    expect(Math.abs(noisy.statistic)).toBeLessThan(0.12);
    expect(noisy.explainedByCovariates).toBe(false);
  });

  it('constant input is undefined (NaN); bad input names the argument', () => {
    expect(partialSpearman([1, 1, 1, 1], [1, 2, 3, 4], [[0, 1, 0, 1]]).statistic).toBeNaN();
    expect(() => partialSpearman([1, 2, 3, 4], [1, 2, 3, 4], [[0, 1]])).toThrow('partialSpearman: covariates[0] must have 4 values, got 2');
    expect(() => partialSpearman([1, 2, 3], [1, 2, 3], [[0, 1, 2]])).toThrow(/n - 2 - k >= 1/);
  });
});

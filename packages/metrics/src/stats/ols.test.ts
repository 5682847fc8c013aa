/**
 * OLS against R's lm on the cars data, plus properties: R^2 bounds, constant-feature
 * invariance, exact recovery on noiseless data, categorical coding, commonality sums.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonality } from './commonality.js';
import { ols } from './ols.js';

// R datasets::cars (McNeil 1977). R: lm(dist ~ speed) -> (Intercept) -17.5791, speed 3.9324,
// Multiple R-squared: 0.6511, Adjusted R-squared: 0.6438.
const speed = [4, 4, 7, 7, 8, 9, 10, 10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 16, 16, 17, 17, 17, 18, 18, 18, 18, 19, 19, 19, 20, 20, 20, 20, 20, 22, 23, 24, 24, 24, 24, 25];
const dist = [2, 10, 4, 22, 16, 10, 18, 26, 34, 17, 28, 14, 20, 24, 28, 26, 34, 34, 46, 26, 36, 60, 80, 20, 26, 54, 32, 40, 32, 40, 50, 42, 56, 76, 84, 36, 46, 68, 32, 48, 52, 56, 64, 66, 54, 70, 92, 93, 120, 85];

describe('ols reference', () => {
  it('matches R lm(dist ~ speed) on cars', () => {
    const fit = ols(dist, [{ name: 'speed', values: speed }]);
    expect(fit.intercept).toBeCloseTo(-17.5791, 4);
    expect(fit.coefficients[0]!.estimate).toBeCloseTo(3.9324, 4);
    expect(fit.r2).toBeCloseTo(0.6511, 4);
    expect(fit.adjustedR2).toBeCloseTo(0.6438, 4);
    // one predictor: standardized slope = Pearson r = sqrt(R^2)
    expect(fit.coefficients[0]!.standardized).toBeCloseTo(Math.sqrt(fit.r2), 10);
  });

  it('drops a duplicated column with a note and keeps the fit', () => {
    const fit = ols(dist, [{ name: 'speed', values: speed }, { name: 'speed2x', values: speed.map((s) => 2 * s) }]);
    expect(fit.dropped).toEqual(['speed2x']);
    expect(fit.notes[0]).toMatch(/collinear/);
    expect(fit.r2).toBeCloseTo(0.6511, 4);
  });

  it('codes categorical features one-hot with the lowest level dropped', () => {
    const g = [1, 1, 2, 2, 3, 3];
    const y = [5, 7, 10, 12, 0, 2]; // group means 6, 11, 1
    const fit = ols(y, [{ name: 'g', values: g, kind: 'categorical' }]);
    expect(fit.coefficients.map((c) => c.name)).toEqual(['g=2', 'g=3']);
    expect(fit.intercept).toBeCloseTo(6, 12);
    expect(fit.coefficients[0]!.estimate).toBeCloseTo(5, 12);
    expect(fit.coefficients[1]!.estimate).toBeCloseTo(-5, 12);
  });

  it('constant response gives NaN R^2 with a note; bad input throws', () => {
    const fit = ols([3, 3, 3, 3], [{ name: 'x', values: [1, 2, 3, 4] }]);
    expect(fit.r2).toBeNaN();
    expect(fit.notes.join(' ')).toMatch(/constant/);
    expect(() => ols([1, 2, 3], [{ name: 'x', values: [1, 2] }])).toThrow(/feature "x" must have 3 values/);
    expect(() => ols([1, Number.NaN, 3], [])).toThrow(/y\[1\]/);
  });
});

const dataset = fc.integer({ min: 8, max: 40 }).chain((n) =>
  fc.record({
    y: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
    a: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
    b: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    c: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
  }),
);
const varies = (v: number[]): boolean => Math.max(...v) - Math.min(...v) > 1e-3;

describe('ols properties', () => {
  it('R^2 lies in [0, 1] and adding a constant feature does not change it', () => {
    fc.assert(fc.property(dataset, fc.double({ min: -50, max: 50, noNaN: true }), ({ y, a, b }, k) => {
      fc.pre(varies(y));
      const feats = [{ name: 'a', values: a }, { name: 'b', values: b, kind: 'categorical' as const }];
      const base = ols(y, feats);
      expect(base.r2).toBeGreaterThanOrEqual(0);
      expect(base.r2).toBeLessThanOrEqual(1);
      const withConst = ols(y, [...feats, { name: 'k', values: a.map(() => k) }]);
      expect(withConst.r2).toBeCloseTo(base.r2, 9);
      expect(withConst.dropped).toContain('k');
    }), { numRuns: 150 });
  });

  it('recovers known coefficients on noiseless data', () => {
    fc.assert(fc.property(dataset, fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), ({ a, c }, b1, b2) => {
      fc.pre(varies(a) && varies(c));
      const y = a.map((ai, i) => 1.5 + b1 * ai + b2 * c[i]!);
      const fit = ols(y, [{ name: 'a', values: a }, { name: 'c', values: c }]);
      fc.pre(fit.rank === 3);
      expect(fit.intercept).toBeCloseTo(1.5, 6);
      expect(fit.coefficients[0]!.estimate).toBeCloseTo(b1, 6);
      expect(fit.coefficients[1]!.estimate).toBeCloseTo(b2, 6);
    }), { numRuns: 150 });
  });

  it('commonality parts sum to R^2(both) and Shapley shares sum to R^2(both)', () => {
    fc.assert(fc.property(dataset, ({ y, a, b, c }) => {
      fc.pre(varies(y));
      const cm = commonality(y, [{ name: 'a', values: a }, { name: 'b', values: b, kind: 'categorical' }], [{ name: 'c', values: c }]);
      expect(cm.uniqueStatic + cm.uniqueDynamic + cm.shared).toBeCloseTo(cm.r2Both, 12);
      expect(cm.shapleyStatic + cm.shapleyDynamic).toBeCloseTo(cm.r2Both, 12);
      // Nested models: adding a group never lowers R^2.
      expect(cm.r2Both).toBeGreaterThanOrEqual(Math.max(cm.r2Static, cm.r2Dynamic) - 1e-9);
    }), { numRuns: 100 });
  });

  it('commonality on a hand-built case: y depends only on the dynamic feature', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8];
    const d = [3, 1, 4, 1, 5, 9, 2, 6];
    const cm = commonality(d.map((v) => 2 * v), [{ name: 's', values: s }], [{ name: 'd', values: d }]);
    expect(cm.r2Dynamic).toBeCloseTo(1, 12);
    expect(cm.uniqueStatic).toBeCloseTo(0, 12);
    expect(cm.uniqueDynamic).toBeCloseTo(1 - cm.r2Static, 12);
  });
});

/** Seed-level statistics against reference values computed with scipy 1.17 (t, norm, nct, ttest_ind) and hand cases. */
import { describe, expect, it } from 'vitest';
import { normalQuantile, seedsForPower, studentTQuantile, tInterval, twoSampleTPower, welchDifference } from './seed-stats.js';

describe('quantiles', () => {
  it('match scipy.stats norm.ppf and t.ppf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 10);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729911275, 8);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445105197793, 8);
    expect(studentTQuantile(0.975, 30.5)).toBeCloseTo(2.04086944518632, 8);
    expect(() => studentTQuantile(0.4, 3)).toThrow('studentTQuantile: "p" must be in (0.5, 1), got 0.4');
  });
});

describe('tInterval and welchDifference', () => {
  it('t-interval over three seeds by hand: mean 0.16, sd 0.09, t_{0.975,2} = 4.3027', () => {
    // the size R² per seed of docs/results.md: 0.25 / 0.15 / 0.07 -> [-0.07, 0.38]
    const r = tInterval([0.25, 0.15, 0.07]);
    expect(r.mean).toBeCloseTo(0.156667, 6);
    expect(r.sd).toBeCloseTo(0.090185, 6);
    expect(r.lower).toBeCloseTo(0.156667 - 4.302653 * 0.090185 / Math.sqrt(3), 5);
    expect(r.lower).toBeCloseTo(-0.0674, 4);
    expect(r.upper).toBeCloseTo(0.3807, 4);
    expect(tInterval([0.3]).lower).toBeNaN();
    expect(tInterval([0.3, Number.NaN, 0.5]).n).toBe(2);
  });

  it('Welch difference matches scipy.stats.ttest_ind(a, b, equal_var=False)', () => {
    // t = -2.2514363231593695, p = 0.06913359319239237, df = 5.520787746170677, CI [-7.385368080514045, 0.3853680805140449]
    const d = welchDifference([1, 2, 3, 4], [2, 4, 6, 8, 10]);
    expect(d.difference).toBeCloseTo(-3.5, 12);
    expect(d.df).toBeCloseTo(5.520787746170677, 9);
    expect(d.pValue).toBeCloseTo(0.06913359319239237, 8);
    expect(d.lower).toBeCloseTo(-7.385368080514045, 7);
    expect(d.upper).toBeCloseTo(0.3853680805140449, 7);
  });
});

describe('seedsForPower', () => {
  it('agrees with the exact noncentral-t power (scipy.stats.nct), n per group rounded up', () => {
    // exact n solving power = 0.8: effect/sd 1 -> 16.7147, 0.5 -> 63.7656, 0.7077 -> 32.3325; power 0.9 at 1 -> 22.0211
    expect(seedsForPower(1, 1)).toBe(17);
    expect(seedsForPower(0.5, 1)).toBe(64);
    expect(seedsForPower(-0.5, 1)).toBe(64);
    expect(seedsForPower(0.023, 0.0325)).toBe(33);
    expect(seedsForPower(1, 1, { power: 0.9 })).toBe(23);
    // exact 5.09 at effect/sd 2
    expect(seedsForPower(2, 1)).toBe(6);
    expect(twoSampleTPower(17, 1)).toBeGreaterThanOrEqual(0.8);
    expect(twoSampleTPower(16, 1)).toBeLessThan(0.8);
  });

  it('degenerate effects and bad input', () => {
    expect(seedsForPower(0, 1)).toBe(Infinity);
    expect(() => seedsForPower(1, -1)).toThrow('seedsForPower: "sd" must be a finite number >= 0, got -1');
  });
});

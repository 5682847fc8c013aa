/** Reference values for the special functions (tables of the normal and t distributions). */
import { describe, expect, it } from 'vitest';
import { incompleteBeta, lnGamma, normalTwoSidedP, studentTTwoSidedP, upperIncompleteGamma } from './special.js';

describe('special functions', () => {
  it('lnGamma matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 13);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3628800), 11);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('incomplete beta: symmetric case and closed forms', () => {
    expect(incompleteBeta(0.5, 3, 3)).toBeCloseTo(0.5, 13);
    // I_x(1, b) = 1 - (1 - x)^b
    expect(incompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 13);
    // I_x(a, 1) = x^a
    expect(incompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 13);
  });

  it('upper incomplete gamma: Q(1, x) = exp(-x)', () => {
    expect(upperIncompleteGamma(1, 0.5)).toBeCloseTo(Math.exp(-0.5), 13);
    expect(upperIncompleteGamma(1, 7)).toBeCloseTo(Math.exp(-7), 15);
  });

  it('normal two-sided p at textbook critical values', () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(normalTwoSidedP(2.5758293035489)).toBeCloseTo(0.01, 12);
    expect(normalTwoSidedP(0)).toBeCloseTo(1, 12);
    // P(|Z| > 6) = 1.973175e-9 (relative accuracy in the far tail)
    expect(normalTwoSidedP(6) / 1.9731752898266e-9).toBeCloseTo(1, 8);
  });

  it('Student t two-sided p at table critical values', () => {
    // t_{0.975, 10} = 2.228139, t_{0.995, 3} = 5.840909, t_{0.975, 1} = 12.7062
    expect(studentTTwoSidedP(2.228138851986273, 10)).toBeCloseTo(0.05, 10);
    expect(studentTTwoSidedP(5.84090929975643, 3)).toBeCloseTo(0.01, 10);
    expect(studentTTwoSidedP(12.70620473617471, 1)).toBeCloseTo(0.05, 10);
    expect(studentTTwoSidedP(0, 5)).toBeCloseTo(1, 12);
  });

  it('Student t two-sided p for a tiny t is 1 minus the tiny tail, not 1', () => {
    // P(|T| < t) ~ 2 t f(0), f(0) = Γ(5.5) / (sqrt(10 π) Γ(5)) = 0.389108383 for df = 10,
    // so p = 1 - 2e-8 * 0.389108383 = 0.99999999221783
    expect(studentTTwoSidedP(1e-8, 10)).toBeCloseTo(0.9999999922, 10);
    expect(1 - studentTTwoSidedP(1e-8, 10)).toBeCloseTo(7.78216766e-9, 16);
    expect(studentTTwoSidedP(-1e-8, 10)).toBe(studentTTwoSidedP(1e-8, 10));
  });
});

/**
 * Pearson on offset data keeps its digits: x, y = 1e6 + k / 1024 (about 1e6 ± 1e-3,
 * every value an exact double) against an exact rational oracle in BigInt (Pearson is
 * invariant under the shift and scale, so r is that of the integers k), relative error
 * <= 1e-12. A one-pass or scaled-before-centring computation loses about 8e-9 here.
 */
import { describe, expect, it } from 'vitest';
import { pearson } from './correlation.js';

/** Exact Pearson r of integer vectors: sign * sqrt(num^2 / (sxx * syy)), num, sxx, syy exact in BigInt. */
function exactPearson(a: readonly number[], b: readonly number[]): number {
  const n = BigInt(a.length);
  const A = a.map(BigInt), B = b.map(BigInt);
  const sum = (v: bigint[]) => v.reduce((s, x) => s + x, 0n);
  const sa = sum(A), sb = sum(B);
  const num = n * sum(A.map((x, i) => x * B[i]!)) - sa * sb;
  const sxx = n * sum(A.map((x) => x * x)) - sa * sa;
  const syy = n * sum(B.map((x) => x * x)) - sb * sb;
  const SCALE = 10n ** 40n;
  const r2 = Number((num * num * SCALE) / (sxx * syy)) / 1e40; // r^2 to ~1e-17 relative
  return (num < 0n ? -1 : 1) * Math.sqrt(r2);
}

describe('Pearson on offset data', () => {
  it('x ≈ 1e6 ± 1e-3: relative error <= 1e-12 against exact rationals', () => {
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [10, 1000, 20000]) {
      const k = Array.from({ length: n }, () => Math.floor(rand() * 2049) - 1024);
      const j = k.map((v) => Math.round(0.6 * v + (rand() - 0.5) * 900));
      const x = k.map((v) => 1e6 + v / 1024), y = j.map((v) => 1e6 + v / 1024);
      const exact = exactPearson(k, j);
      const got = pearson(x, y).statistic;
      expect(Math.abs(got - exact) / Math.abs(exact), `n = ${n}`).toBeLessThanOrEqual(1e-12);
    }
  });
});

/** Three-group commonality: orthogonal predictors by hand, and the identities as properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonality3 } from './commonality3.js';
import { ols } from './ols.js';

describe('commonality3', () => {
  it('orthogonal predictors: shares and unique parts equal the squared correlations, shared parts 0', () => {
    // Columns 1..4 of the 8x8 Hadamard matrix are centred and mutually orthogonal.
    const a = [1, -1, 1, -1, 1, -1, 1, -1], b = [1, 1, -1, -1, 1, 1, -1, -1], c = [1, -1, -1, 1, 1, -1, -1, 1], e = [1, 1, 1, 1, -1, -1, -1, -1];
    // y = 3a + 2b + c + e: variance parts 9 : 4 : 1 : 1 of 15, so r^2(y, a) = 9/15 etc.
    const y = a.map((_, i) => 10 + 3 * a[i]! + 2 * b[i]! + c[i]! + e[i]!);
    const r = commonality3(y, { static: [{ name: 'a', values: a }], position: [{ name: 'b', values: b }], dynamic: [{ name: 'c', values: c }] });
    expect(r.r2.static).toBeCloseTo(9 / 15, 12);
    expect(r.r2.position).toBeCloseTo(4 / 15, 12);
    expect(r.r2.dynamic).toBeCloseTo(1 / 15, 12);
    expect(r.r2.all).toBeCloseTo(14 / 15, 12);
    expect(r.r2.staticDynamic).toBeCloseTo(10 / 15, 12);
    for (const [g, v] of [['static', 9], ['position', 4], ['dynamic', 1]] as const) {
      expect(r.shapley[g]).toBeCloseTo(v / 15, 12);
      expect(r.unique[g]).toBeCloseTo(v / 15, 12);
    }
    for (const v of Object.values(r.shared)) expect(v).toBeCloseTo(0, 12);
  });

  it('a variable in two groups: its variance is shared by exactly those two', () => {
    // static = [a, b], position = [b]: b's 4/15 is shared by static and position only,
    // so Shapley splits it in half.
    const a = [1, -1, 1, -1, 1, -1, 1, -1], b = [1, 1, -1, -1, 1, 1, -1, -1], c = [1, -1, -1, 1, 1, -1, -1, 1], e = [1, 1, 1, 1, -1, -1, -1, -1];
    const y = a.map((_, i) => 3 * a[i]! + 2 * b[i]! + c[i]! + e[i]!);
    const r = commonality3(y, { static: [{ name: 'a', values: a }, { name: 'b', values: b }], position: [{ name: 'b', values: b }], dynamic: [{ name: 'c', values: c }] });
    expect(r.shared.staticPosition).toBeCloseTo(4 / 15, 12);
    expect(r.unique.static).toBeCloseTo(9 / 15, 12);
    expect(r.unique.position).toBeCloseTo(0, 12);
    expect(r.shapley.static).toBeCloseTo(11 / 15, 12);
    expect(r.shapley.position).toBeCloseTo(2 / 15, 12);
  });

  it('the 7 parts and the 3 Shapley shares each sum to the full-model R²', () => {
    const cols = fc.integer({ min: 8, max: 30 }).chain((n) => fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }), { minLength: 5, maxLength: 5 }));
    fc.assert(fc.property(cols, ([y, s, p, d1, d2]) => {
      fc.pre(y!.some((v) => v !== y![0]));
      const r = commonality3(y!, { static: [{ name: 's', values: s! }], position: [{ name: 'p', values: p! }], dynamic: [{ name: 'd1', values: d1! }, { name: 'd2', values: d2! }] });
      const full = ols(y!, [{ name: 's', values: s! }, { name: 'p', values: p! }, { name: 'd1', values: d1! }, { name: 'd2', values: d2! }]).r2;
      const parts = Object.values(r.unique).reduce((a, b) => a + b, 0) + Object.values(r.shared).reduce((a, b) => a + b, 0);
      expect(parts).toBeCloseTo(full, 10);
      expect(r.shapley.static + r.shapley.position + r.shapley.dynamic).toBeCloseTo(full, 10);
    }), { numRuns: 100 });
  });
});

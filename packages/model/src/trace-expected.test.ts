/**
 * A float32 expected depth a few ulps above T_max (all mass on the last step, as
 * a k-hop anira-e-hazard run gave: 6.000000476837158 at T_max 6) is written as
 * T_max, so that the trace validates; further out it is left for validation to refuse.
 */
import { describe, expect, it } from 'vitest';
import { withinRounding } from './trace.js';

describe('withinRounding (expected depth in a trace)', () => {
  it('takes float32 rounding overshoot to the bound', () => {
    expect(withinRounding(Math.fround(6.0000005), 6)).toBe(6);
    expect(withinRounding(6.000000476837158, 6)).toBe(6);
    expect(withinRounding(Math.fround(0.99999994), 8)).toBe(1);
  });

  it('keeps values inside the range and real violations as they are', () => {
    expect(withinRounding(5.75, 6)).toBe(5.75);
    expect(withinRounding(1, 6)).toBe(1);
    expect(withinRounding(6, 6)).toBe(6);
    expect(withinRounding(6.01, 6)).toBe(6.01);
    expect(withinRounding(0.5, 6)).toBe(0.5);
  });
});

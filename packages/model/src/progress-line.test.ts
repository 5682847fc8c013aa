/** progressLine: which updates print, the line's text and a hand-computed ETA. */
import { describe, expect, it } from 'vitest';
import { AniraInputError } from '@anira/tasks/errors';
import { formatProgressLine, progressLine } from './progress-line.js';

const at = (step: number, totalSteps = 100) => ({ step, totalSteps, loss: 0.51234, accuracy: 0.8125, meanDepth: 2.314, elapsedMs: 0 });

describe('progressLine', () => {
  it('prints every N updates and the last, with an ETA from the time per update so far', () => {
    const lines: string[] = [];
    let t = 1_000;
    const cb = progressLine({ every: 10, write: (l) => lines.push(l), now: () => t });
    // resumed at update 40: the first update seen is 41; each update takes 2 s
    for (let s = 41; s <= 100; s++) {
      t += 2_000;
      cb(at(s));
    }
    expect(lines).toHaveLength(6); // 50, 60, ..., 100
    // at 50: 10 updates in 20 s, 50 left -> 100 s
    expect(lines[0]).toBe('train step 50/100 (50%) ETA 100s loss 0.5123 acc 0.813 depth 2.31');
    expect(lines[5]).toBe('train step 100/100 (100%) ETA 0s loss 0.5123 acc 0.813 depth 2.31');
  });

  it('prints the last update even off the grid, and non-finite values as -', () => {
    const lines: string[] = [];
    const cb = progressLine({ every: 25, label: 'fit', write: (l) => lines.push(l), now: () => 0 });
    cb(at(7, 7));
    expect(lines).toEqual(['fit step 7/7 (100%) ETA 0s loss 0.5123 acc 0.813 depth 2.31']);
    expect(formatProgressLine({ ...at(1, 3), loss: Number.NaN }, 12.4)).toBe('train step 1/3 (33%) ETA 12s loss - acc 0.813 depth 2.31');
  });

  it('refuses a bad "every" as an input error', () => {
    expect(() => progressLine({ every: 0 })).toThrow('progressLine: "every" must be an integer >= 1, got 0');
    try {
      progressLine({ every: 1.5 });
    } catch (e) {
      expect(AniraInputError.isInstance(e)).toBe(true);
    }
  });
});

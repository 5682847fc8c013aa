/** `keysPerToken` (prefix counts, one pass per row) against `keysAttended` (the attend rule, per token). */
import { describe, expect, it } from 'vitest';
import { keysAttended, keysPerToken } from './flops.js';

describe('keysPerToken', () => {
  it('equals keysAttended for every token, causal or not, padding anywhere', () => {
    let seed = 12345;
    const bit = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) % 3 === 0 ? 0 : 1; // about a third padding
    for (let rows = 1; rows <= 4; rows++) {
      for (let length = 1; length <= 11; length++) {
        for (const causal of [true, false]) {
          const mask = Array.from({ length: rows * length }, bit);
          const want = mask.map((_, i) => keysAttended(mask, Math.floor(i / length) * length, length, i % length, causal));
          expect(Array.from(keysPerToken(mask, length, causal))).toEqual(want);
        }
      }
    }
  });
  it('counts hand-made cases', () => {
    expect(Array.from(keysPerToken([1, 0, 1, 1, 0, 0, 0, 0], 4, true))).toEqual([1, 1, 2, 3, 0, 0, 0, 0]);
    expect(Array.from(keysPerToken([1, 0, 1, 1, 1, 1, 0, 0], 4, false))).toEqual([3, 3, 3, 3, 2, 2, 2, 2]);
  });
});

/** Disjoint streams: excluded inputs never come out, draws are deterministic per index, and a too-small space fails in one line. */
import { describe, expect, it } from 'vitest';
import { countOverlap, excludingStream, inputKey, MAX_REDRAWS } from './disjoint.js';
import { generateExample } from './generate.js';
import { deriveExampleSeed } from './rng.js';
import { getTask } from './registry.js';
import type { Example } from './example.js';

const addition = getTask('addition');
const oneDigit = (seed: number) => generateExample(addition, { digits: 1 }, seed);

describe('disjoint data sets', () => {
  it('inputKey is the exact input sequence', () => {
    expect(inputKey({ input: [3, 14, 1] })).toBe('3,14,1');
    expect(inputKey({ input: [31, 4, 1] })).not.toBe(inputKey({ input: [3, 14, 1] }));
  });

  it('never yields an excluded input, and example i is the same on every call', () => {
    // half of the 100 one-digit sums held out: the plain stream hits them often
    const heldOut = Array.from({ length: 200 }, (_, i) => oneDigit(deriveExampleSeed(99, i)));
    const keys = new Set(heldOut.map(inputKey));
    expect(keys.size).toBeGreaterThan(50);
    const draw = (i: number, a: number) => oneDigit(deriveExampleSeed(7 + a * 1_000_003, i));
    const plain = Array.from({ length: 300 }, (_, i) => draw(i, 0));
    expect(countOverlap(plain, keys)).toBeGreaterThan(100);
    const stream = excludingStream(draw, keys);
    const drawn = Array.from({ length: 300 }, (_, i) => stream(i));
    expect(countOverlap(drawn, keys)).toBe(0);
    expect(drawn.map(inputKey)).toEqual(Array.from({ length: 300 }, (_, i) => inputKey(stream(i))));
    // inputs not held out come through unchanged
    const firstFree = plain.findIndex((ex) => !keys.has(inputKey(ex)));
    expect(inputKey(drawn[firstFree]!)).toBe(inputKey(plain[firstFree]!));
  });

  it('fails in one line when every draw is held out', () => {
    const only: Example = oneDigit(1);
    const stream = excludingStream(() => only, new Set([inputKey(only)]), 'training stream');
    expect(() => stream(5)).toThrow(`training stream: example 5: ${MAX_REDRAWS} draws in a row were inputs of the held-out sets`);
  });
});

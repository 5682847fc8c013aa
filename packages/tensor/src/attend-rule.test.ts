/** The host attend rule and attentionBias (the tensor form) agree on every query and key. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionBias, MASKED_SCORE } from './attention.js';
import { forEachVisibleKey, visibleKeyEnd } from './attend-rule.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('attend rule', () => {
  it('a hand case: causal, one padding key', () => {
    const seen: number[] = [];
    forEachVisibleKey([1, 0, 1, 1], 0, 4, 2, true, (k) => seen.push(k));
    expect(seen).toEqual([0, 2]);
    expect(visibleKeyEnd(2, 4, false)).toBe(4);
  });

  it('attentionBias is the same rule as a tensor, for random masks, causal or not', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const causal of [false, true]) {
      for (let trial = 0; trial < 5; trial++) {
        const [b, t] = [3, 6];
        const mask = Array.from({ length: b * t }, () => (rand() < 0.7 ? 1 : 0));
        const got = tf.tidy(() => Array.from(tf.broadcastTo(attentionBias(tf.tensor2d(mask, [b, t]), causal), [b, 1, t, t]).dataSync())); // [B, 1, T, T]
        const want = new Array<number>(b * t * t).fill(MASKED_SCORE);
        for (let r = 0; r < b; r++) for (let q = 0; q < t; q++) forEachVisibleKey(mask, r * t, t, q, causal, (k) => (want[(r * t + q) * t + k] = 0));
        expect(got.map((v) => (v === 0 ? 0 : MASKED_SCORE))).toEqual(want);
      }
    }
  });
});

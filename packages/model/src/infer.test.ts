import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig, type ModelConfig } from './config.js';
import { collate } from './batch.js';
import { LoopedTransformer } from './model.js';
import { infer } from './infer.js';
import { layerFlops } from './flops.js';
import { copyExample, forcedDepth } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const C = 16;
const make = (over: Partial<ModelConfig> = {}) =>
  new LoopedTransformer(defaultModelConfig({ vocabSize: 9, maxLength: 10, dModel: C, nHeads: 2, tMax: 4, seed: 5, ...over }));
const ex = (syms: number[]) => copyExample(syms);
const rowState = (s: Float32Array, i: number) => Array.from(s.subarray(i * C, (i + 1) * C));

describe('infer semantics', () => {
  it('a halted token is frozen bit-identically and stays attendable', () => {
    const model = make({ attention: 'bidirectional', sharedLayers: 2 });
    const batch = collate([ex([3, 4, 5])]); // length 8
    const depths = [1, 4, 2, 4, 3, 4, 4, 4];
    const r = infer(model, forcedDepth((_, t) => depths[t]!), batch, { recordStates: true });
    expect(Array.from(r.exitDepth)).toEqual(depths);
    for (let t = 0; t < 8; t++) {
      for (let k = depths[t]!; k < 4; k++) expect(rowState(r.states![k]!, t)).toEqual(rowState(r.states![depths[t]! - 1]!, t));
    }
    // Token 0's frozen state matters to others: exiting it one step later changes token 7's output.
    const later = infer(model, forcedDepth((_, t) => (t === 0 ? 2 : depths[t]!)), batch, { recordStates: true });
    expect(rowState(later.states![3]!, 7)).not.toEqual(rowState(r.states![3]!, 7));
    model.dispose();
  });

  it('skipping equals the masked computation within 1e-5 and FLOPs match the formula exactly', () => {
    for (const positions of ['learned', 'rope'] as const) {
      const model = make({ positions, preludeLayers: 1, sharedLayers: 2 });
      const batch = collate([ex([3, 4, 5]), ex([6, 7])]); // lengths 8 and 6, padded to 8
      const depthOf = (b: number, t: number) => ((b * 3 + t * 5) % 4) + 1;
      const policy = forcedDepth(depthOf);
      const skip = infer(model, policy, batch, { recordStates: true, tMax: 6 });
      const masked = infer(model, policy, batch, { recordStates: true, tMax: 6, mode: 'masked' });
      expect(skip.iterations).toBe(4);
      const last = (r: typeof skip) => Array.from(r.states![r.iterations - 1]!);
      last(masked).forEach((v, i) => expect(Math.abs(v - last(skip)[i]!)).toBeLessThan(1e-5));
      expect(Array.from(skip.prediction)).toEqual(Array.from(masked.prediction));
      const cfg = model.config;
      for (let b = 0; b < 2; b++) {
        for (let t = 0; t < 8; t++) {
          const i = b * 8 + t;
          const real = batch.mask[i]! > 0;
          const keys = t + 1; // causal, padding only at the end
          const d = real ? depthOf(b, t) : 0;
          const perIter = 2 * (8 * C * C + 4 * C * cfg.dMlp + 4 * C * keys) + 2 * C * cfg.vocabSize;
          const expected = real ? 8 * C * C + 4 * C * cfg.dMlp + 4 * C * keys + d * perIter : 0;
          expect(skip.exitDepth[i]).toBe(d);
          expect(skip.flops[i]).toBe(expected);
        }
      }
      expect(layerFlops(cfg, 3)).toBe(8 * C * C + 4 * C * 4 * C + 12 * C);
      model.dispose();
    }
  });

  it('causal: changing future tokens never changes past states; bidirectional sees them', () => {
    const causal = make({ positions: 'rope' });
    const bidir = make({ attention: 'bidirectional', positions: 'sinusoidal' });
    const arb = fc.record({
      a: fc.array(fc.integer({ min: 3, max: 8 }), { minLength: 8, maxLength: 8 }),
      cut: fc.integer({ min: 1, max: 7 }),
      change: fc.integer({ min: 3, max: 8 }),
      depth: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
    });
    fc.assert(
      fc.property(arb, ({ a, cut, change, depth }) => {
        const b = [...a];
        b[cut] = a[cut] === change ? 3 + ((change - 2) % 6) : change;
        const mk = (ids: number[]) => collate([{ ...ex([3]), input: ids, target: ids.map(() => -1), difficulty: ids.map(() => -1) }]);
        const policy = forcedDepth((_, t) => depth[t]!);
        const sa = infer(causal, policy, mk(a), { recordStates: true });
        const sb = infer(causal, policy, mk(b), { recordStates: true });
        const last = (r: typeof sa) => r.states![r.iterations - 1]!;
        expect(Array.from(last(sa).subarray(0, cut * C))).toEqual(Array.from(last(sb).subarray(0, cut * C)));
        const ba = infer(bidir, policy, mk(a), { recordStates: true });
        const bb = infer(bidir, policy, mk(b), { recordStates: true });
        expect(Array.from(last(ba).subarray(0, C))).not.toEqual(Array.from(last(bb).subarray(0, C)));
      }),
      { numRuns: 25, seed: 42 },
    );
    causal.dispose();
    bidir.dispose();
  });

  it('keeps numTensors unchanged across 50 inference calls', () => {
    const model = make({ positions: 'rope' });
    const batch = collate([ex([3, 4, 5]), ex([6])]);
    const policy = forcedDepth((b, t) => ((b + t) % 4) + 1);
    infer(model, policy, batch);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) infer(model, policy, batch);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects a batch longer than maxLength naming the field', () => {
    const model = make({ maxLength: 4 });
    expect(() => infer(model, forcedDepth(() => 1), collate([ex([3, 4])]))).toThrow(/"maxLength"/);
    model.dispose();
  });
});

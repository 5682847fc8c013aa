import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { HALTING_SPEC_VERSION, type HaltingPolicy } from '@anira/halting';
import { defaultModelConfig } from './config.js';
import { collate } from './batch.js';
import { LoopedTransformer } from './model.js';
import { trainForward } from './forward.js';
import { copyExample } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A fixed soft exit distribution (0.3, 0.7) in the chosen combine mode. */
function soft(combine: 'expected-loss' | 'mixture'): HaltingPolicy {
  return {
    specificationVersion: HALTING_SPEC_VERSION, name: 'soft', variables: {}, options: {},
    train: ({ states }) => {
      const [b, t] = states[0]!.shape;
      const w = tf.tile(tf.tensor3d([0.3, 0.7], [1, 1, 2]), [b, t, 1]) as tf.Tensor3D;
      return { weights: w, combine, loss: tf.scalar(0) };
    },
    step: ({ active }) => ({ halt: tf.onesLike(active) }),
    dispose() {},
  };
}

describe('gradients', () => {
  for (const combine of ['expected-loss', 'mixture'] as const) {
    it(`match central finite differences (${combine})`, () => {
      const model = new LoopedTransformer(
        defaultModelConfig({ vocabSize: 9, maxLength: 8, dModel: 8, nHeads: 2, dMlp: 12, tMax: 2, preludeLayers: 1, positions: 'rope', seed: 11 }),
      );
      const batch = collate([copyExample([3, 4, 5]), copyExample([6, 7])]);
      const policy = soft(combine);
      const loss = () => tf.tidy(() => trainForward(model, policy, batch, 0).objective.dataSync()[0]!);
      const names = ['embed', 'prelude.0.wk', 'shared.0.wq', 'shared.0.wv', 'shared.0.w1', 'shared.0.ln2g', 'head'];
      const vars = names.map((n) => model.params[n]!);
      const { grads } = tf.variableGrads(() => trainForward(model, policy, batch, 0).objective, vars);
      let checked = 0;
      for (const v of vars) {
        const g = grads[v.name]!.dataSync();
        for (const idx of [0, 5]) {
          const orig = v.dataSync().slice();
          const at = (delta: number) => {
            const w = orig.slice();
            w[idx] = w[idx]! + delta;
            v.assign(tf.tensor(w, v.shape));
            return loss();
          };
          const eps = 1e-2;
          const numeric = (at(eps) - at(-eps)) / (2 * eps);
          v.assign(tf.tensor(orig, v.shape));
          expect(Math.abs(numeric - g[idx]!)).toBeLessThanOrEqual(0.03 * Math.abs(g[idx]!) + 2e-3);
          checked++;
        }
      }
      expect(checked).toBe(14);
      tf.dispose(Object.values(grads));
      model.dispose();
    });
  }
});

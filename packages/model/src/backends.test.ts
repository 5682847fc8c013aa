import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { collate } from './batch.js';
import { LoopedTransformer } from './model.js';
import { trainForward } from './forward.js';
import { infer } from './infer.js';
import { copyExample, forcedDepth } from '../test/helpers.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('backends', () => {
  it('cpu and wasm agree on forward outputs within 1e-4', async () => {
    const batch = collate([copyExample([3, 4, 5]), copyExample([6, 7])]);
    const policy = forcedDepth((b, t) => ((b + t) % 3) + 1);
    await tf.setBackend('cpu');
    const model = new LoopedTransformer(
      defaultModelConfig({ vocabSize: 9, maxLength: 8, dModel: 16, nHeads: 2, tMax: 3, positions: 'rope', preludeLayers: 1, seed: 2 }),
    );
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const r = infer(model, policy, batch, { recordStates: true });
      const loss = tf.tidy(() => trainForward(model, policy, batch, 0).objective.dataSync()[0]!);
      return { state: Array.from(r.states![r.iterations - 1]!), loss, depth: Array.from(r.exitDepth) };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    model.dispose();
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.depth).toEqual(cpu.depth);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4);
    wasm.state.forEach((v, i) => expect(Math.abs(v - cpu.state[i]!)).toBeLessThan(1e-4));
  });
});

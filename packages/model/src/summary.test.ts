import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('model.summary()', () => {
  it('counts parameters by block as a hand count does', () => {
    // C = 16, MLP 32, V = 9, maxLength 10. One layer: LN1 2C + Q,K,V,O 4C^2 + LN2 2C + W1 C*32 + b1 32 + W2 32*C + b2 C
    // = 32 + 1024 + 32 + 512 + 32 + 512 + 16 = 2160 in 12 tensors.
    const m = new LoopedTransformer(defaultModelConfig({
      vocabSize: 9, maxLength: 10, dModel: 16, nHeads: 2, dMlp: 32, preludeLayers: 1, sharedLayers: 2, tMax: 4, positions: 'learned', seed: 1,
    }));
    const s = m.summary();
    expect(s.rows).toEqual([
      { block: 'embedding', tensors: 1, parameters: 9 * 16 },
      { block: 'positions (learned)', tensors: 1, parameters: 10 * 16 },
      { block: 'prelude layer 0', tensors: 12, parameters: 2160 },
      { block: 'shared block (2 layers, looped up to 4x)', tensors: 24, parameters: 2 * 2160 },
      { block: 'output head (final LayerNorm + linear)', tensors: 3 + 1, parameters: 2 * 16 + 16 * 9 + 9 },
    ]);
    expect(s.total).toBe(144 + 160 + 2160 + 4320 + 185);
    expect(s.total).toBe(m.parameterCount());
    const table = String(s).split('\n');
    expect(table[0]).toMatch(/^block\s+tensors\s+parameters$/);
    expect(table[table.length - 1]).toMatch(/^total\s+42\s+6,969$/);
    m.dispose();
  });

  it('rope positions have no position block', () => {
    const m = new LoopedTransformer(defaultModelConfig({ vocabSize: 9, maxLength: 10, dModel: 16, nHeads: 2, dMlp: 32, tMax: 2, positions: 'rope', preludeLayers: 0, seed: 1 }));
    expect(m.summary().rows.map((r) => r.block)).toEqual(['embedding', 'shared block (1 layer, looped up to 2x)', 'output head (final LayerNorm + linear)']);
    m.dispose();
  });
});

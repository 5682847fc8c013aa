import { describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { defaultTrainerConfig } from './trainer-config.js';

const base = { vocabSize: 10, maxLength: 16 };

describe('model config', () => {
  it('fills documented defaults', () => {
    expect(defaultModelConfig(base)).toEqual({
      vocabSize: 10, maxLength: 16, dModel: 64, nHeads: 4, dMlp: 256, preludeLayers: 1, sharedLayers: 1, tMax: 4,
      attention: 'causal', positions: 'learned', reinject: true, layerNormEps: 1e-5, seed: 0,
    });
    expect(defaultModelConfig({ ...base, dModel: 32 }).dMlp).toBe(128);
  });

  it('names the bad field and its allowed range', () => {
    expect(() => defaultModelConfig({ ...base, nHeads: 5 })).toThrow('model config: "nHeads" must divide "dModel" (64), got 5');
    expect(() => defaultModelConfig({ ...base, dModel: 0 })).toThrow('model config: "dModel" must be an integer in [4, 8192], got 0');
    expect(() => defaultModelConfig({ ...base, tMax: 1.5 })).toThrow(/"tMax" must be an integer in \[1, 1024\], got 1.5/);
    expect(() => defaultModelConfig({ ...base, sharedLayers: 0 })).toThrow(/"sharedLayers"/);
    expect(() => defaultModelConfig({ ...base, attention: 'sideways' as never })).toThrow(/"attention" must be one of 'causal', 'bidirectional', got 'sideways'/);
    expect(() => defaultModelConfig({ ...base, positions: 'rope', dModel: 12, nHeads: 4 })).toThrow(/even head size/);
    expect(() => defaultModelConfig({ ...base, layerNormEps: 0 })).toThrow(/"layerNormEps"/);
    expect(() => defaultModelConfig({ ...base, bogus: 1 } as never)).toThrow('model config: unknown field "bogus"');
  });

  it('validates the trainer config the same way', () => {
    expect(defaultTrainerConfig().batchSize).toBe(32);
    expect(() => defaultTrainerConfig({ lr: -1 })).toThrow('trainer config: "lr" must be a number in [0, 10], got -1');
    expect(() => defaultTrainerConfig({ steps: 2.5 })).toThrow(/"steps" must be an integer/);
  });
});

/**
 * FixedDepth(T): every token runs exactly `depth` iterations. Training weights are
 * one-hot at min(depth, S) (the last step S by default); no parameters, no loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { definePolicy, haltAt, oneHotAt } from '../define-policy.js';
import { HALTING_SPEC_VERSION } from '../spec.js';
import { trainShape } from './train-shape.js';

export interface FixedOptions extends Record<string, unknown> {
  /** Exit depth; 0 means tMax (the training S, or the inference tMax). */
  depth: number;
}

export const fixedPolicy = definePolicy<FixedOptions>(
  'fixed',
  'FixedDepth(T): every token runs the same number of iterations.',
  [{ name: 'depth', type: 'integer', default: 0, min: 0, max: 4096, description: 'Exit depth; 0 = tMax.' }],
  (dims, options) => {
    let depth = options.depth;
    return {
      specificationVersion: HALTING_SPEC_VERSION,
      name: 'fixed',
      variables: {},
      get options() { return { ...options, depth }; },
      train({ states }) {
        const [B, T] = trainShape('fixed', states);
        const S = states.length;
        const weights = oneHotAt(B, T, S, depth === 0 ? S : depth);
        return { weights, combine: 'expected-loss', loss: tf.scalar(0) };
      },
      step({ t, tMax, active }) {
        const d = depth === 0 ? tMax : depth;
        return { halt: haltAt(tf.fill(active.shape, t >= d ? 1 : 0), t, tMax) };
      },
      calibration: {
        name: 'depth',
        get: () => (depth === 0 ? dims.tMax : depth),
        set: (v) => { depth = Math.max(1, Math.round(v)); },
        range: [1, dims.tMax],
        increasesDepth: true,
      },
      dispose() {},
    };
  },
);

/** Convenience factory: `fixed(dims, { depth })`. */
export const fixed = (dims: Parameters<typeof fixedPolicy.create>[0], options?: Partial<FixedOptions>) =>
  fixedPolicy.create(dims, options);

/**
 * Zero-shot convergence exits (Geiping 2025, "Huginn"): no parameters; training is
 * fixed depth (one-hot at S); at inference a token exits when its predictions or
 * state stop changing:
 *   'kl':      KL(softmax(l_t) || softmax(l_{t-1})) < epsilon          (t >= 2)
 *   'argmax':  argmax(l_t) equal to the previous argmax for stableSteps steps
 *   'latent':  ||h_t - h_{t-1}|| / ||h_{t-1}|| < relativeChange
 *   'entropy': H(softmax(l_t)) < entropyThreshold (nats)
 * Applies to any trained model, including fixed-depth ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { definePolicy, haltAt, oneHotAt } from '../define-policy.js';
import { HALTING_SPEC_VERSION, type CalibrationKnob, type PolicyDims } from '../spec.js';
import { trainShape } from './train-shape.js';

export type ConvergeCriterion = 'kl' | 'argmax' | 'latent' | 'entropy';

export interface ConvergeOptions extends Record<string, unknown> {
  criterion: ConvergeCriterion;
  epsilon: number;
  stableSteps: number;
  relativeChange: number;
  entropyThreshold: number;
}

const knobs: Record<ConvergeCriterion, { key: keyof ConvergeOptions & string; range: [number, number]; increasesDepth: boolean }> = {
  kl: { key: 'epsilon', range: [1e-9, 10], increasesDepth: false },
  argmax: { key: 'stableSteps', range: [1, 64], increasesDepth: true },
  latent: { key: 'relativeChange', range: [1e-9, 10], increasesDepth: false },
  entropy: { key: 'entropyThreshold', range: [1e-9, 20], increasesDepth: false },
};

export const convergePolicy = definePolicy<ConvergeOptions>(
  'converge',
  'Zero-shot exit when successive predictions or states converge (KL, argmax stability, latent change, entropy); no parameters.',
  [
    { name: 'criterion', type: 'string', default: 'kl', choices: ['kl', 'argmax', 'latent', 'entropy'], description: 'Exit criterion.' },
    { name: 'epsilon', type: 'number', default: 5e-4, min: 0, max: 10, description: 'kl: exit when KL(p_t || p_{t-1}) < epsilon.' },
    { name: 'stableSteps', type: 'integer', default: 2, min: 1, max: 64, description: 'argmax: exit after the argmax is unchanged for this many steps.' },
    { name: 'relativeChange', type: 'number', default: 0.01, min: 0, max: 10, description: 'latent: exit when ||h_t - h_{t-1}|| / ||h_{t-1}|| < relativeChange.' },
    { name: 'entropyThreshold', type: 'number', default: 0.1, min: 0, max: 20, description: 'entropy: exit when the prediction entropy (nats) < entropyThreshold.' },
  ],
  (_dims, o) => {
    const opts = { ...o };
    const knob = knobs[opts.criterion];
    const calibration: CalibrationKnob = {
      name: knob.key,
      get: () => opts[knob.key] as number,
      set: (v) => {
        const c = Math.min(knob.range[1], Math.max(knob.range[0], v));
        (opts as Record<string, unknown>)[knob.key] = knob.key === 'stableSteps' ? Math.round(c) : c;
      },
      range: knob.range,
      increasesDepth: knob.increasesDepth,
    };
    return {
      specificationVersion: HALTING_SPEC_VERSION,
      name: 'converge',
      variables: {},
      get options() { return { ...opts }; },
      train({ states }) {
        const [B, T] = trainShape('converge', states);
        return { weights: oneHotAt(B, T, states.length, states.length), combine: 'expected-loss', loss: tf.scalar(0) };
      },
      step({ t, tMax, state, previousState, logits, carry }) {
        const logP = tf.logSoftmax(logits); // [B, T, V]
        switch (opts.criterion) {
          case 'kl': {
            const prev = carry['logP'];
            const cond = prev
              ? tf.less(tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, prev)), 2), opts.epsilon)
              : tf.zeros(logits.shape.slice(0, 2) as [number, number], 'bool');
            return { halt: haltAt(cond, t, tMax), carry: { logP } };
          }
          case 'argmax': {
            const arg = tf.argMax(logits, 2); // [B, T] int32
            const prevArg = carry['argmax'];
            const prevCount = carry['stable'] ?? tf.zeros(arg.shape, 'int32');
            const same = prevArg ? tf.cast(tf.equal(arg, prevArg), 'int32') : tf.zeros(arg.shape, 'int32');
            const stable = tf.mul(tf.add(prevCount, same), same); // consecutive unchanged steps
            return { halt: haltAt(tf.greaterEqual(stable, opts.stableSteps), t, tMax), carry: { argmax: arg, stable } };
          }
          case 'latent': {
            const diff = tf.norm(tf.sub(state, previousState), 'euclidean', 2);
            const base = tf.maximum(tf.norm(previousState, 'euclidean', 2), 1e-12);
            return { halt: haltAt(tf.less(tf.div(diff, base), opts.relativeChange), t, tMax) };
          }
          case 'entropy': {
            const h = tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), 2));
            return { halt: haltAt(tf.less(h, opts.entropyThreshold), t, tMax) };
          }
        }
      },
      calibration,
      dispose() {},
    };
  },
);

export const converge = (dims: PolicyDims, options?: Partial<ConvergeOptions>) => convergePolicy.create(dims, options);

/**
 * Every built-in policy trains (with gradients) and infers on the wasm backend,
 * which lacks some kernels the cpu backend has; results agree with cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPolicyDefinitions } from './registry.js';
import { simulateInference } from './testing/simulate.js';

const dims = { dModel: 4, vocabSize: 3, tMax: 4, seed: 2 };

function run(name: string) {
  const pol = listPolicyDefinitions().find((d) => d.name === name)!.create(dims);
  const B = 2, T = 6;
  const shallow = tf.randomNormal([B, T, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
  const states = [0, 1, 2, 3].map((i) => tf.randomNormal([B, T, 4], 0, 1, 'float32', 5 + i) as tf.Tensor3D);
  const logits = [0, 1, 2, 3].map((i) => tf.randomNormal([B, T, 3], 0, 2, 'float32', 9 + i) as tf.Tensor3D);
  const mask = tf.ones([B, T]) as tf.Tensor2D;
  const L = tf.randomUniform([B, T, 4], 0, 1, 'float32', 3);
  const vars = Object.values(pol.variables);
  let value = 0;
  let gradSum = 0;
  if (vars.length) {
    const { value: v, grads } = tf.variableGrads(() => {
      const o = pol.train({ shallow, states, logits, mask, lossMask: mask, seed: 4 });
      return tf.add(o.loss, tf.mean(tf.sum(tf.mul(o.weights, L), 2))) as tf.Scalar;
    }, vars);
    value = v.dataSync()[0]!;
    gradSum = Object.values(grads).reduce((s, g) => s + tf.sum(tf.abs(g)).dataSync()[0]!, 0);
  } else {
    value = tf.sum(pol.train({ shallow, states, logits, mask, lossMask: mask, seed: 4 }).weights).dataSync()[0]!;
  }
  const depths = simulateInference(pol, { shallow, states, logits, mask, tMax: 4, seed: 1 }).exitDepth;
  pol.dispose();
  return { value, gradSum, depths };
}

describe('wasm backend', () => {
  const names = listPolicyDefinitions().map((d) => d.name);
  const cpu: Record<string, ReturnType<typeof run>> = {};
  beforeAll(async () => {
    await tf.setBackend('cpu');
    for (const n of names) cpu[n] = run(n);
    await tf.setBackend('wasm');
    await tf.ready();
  });
  afterAll(async () => { await tf.setBackend('cpu'); });

  it.each(names)('%s: same loss, gradients and exit depths as cpu', (name) => {
    const w = run(name);
    const c = cpu[name]!;
    expect(w.value).toBeCloseTo(c.value, 4);
    expect(w.gradSum).toBeCloseTo(c.gradSum, 3);
    expect(w.depths).toEqual(c.depths);
  });
});

/**
 * Every numeric option of every built-in policy, at the minimum and at the maximum
 * its spec accepts: train() on random states gives a finite loss, finite training
 * weights and finite gradients of the objective (policy loss + expected task loss)
 * w.r.t. the policy's variables. An accepted value must never break training.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { listPolicyDefinitions } from '../registry.js';
import { useCpu } from '../test-setup.js';

beforeAll(useCpu);

const dims = { dModel: 4, vocabSize: 3, tMax: 4, seed: 5 };
const B = 2, T = 6;

const cases = listPolicyDefinitions().flatMap((def) =>
  def.options
    .filter((o) => o.type === 'number' || o.type === 'integer')
    .flatMap((o) => {
      if (o.min === undefined || o.max === undefined) throw new Error(`${def.name}: option "${o.name}" has no range`);
      return [['min', o.min], ['max', o.max]].map(([end, value]) => [`${def.name} ${o.name} = ${value} (${end})`, def, o.name, value] as const);
    }));

describe('numeric option range ends', () => {
  it('cover every trainable built-in', () => {
    const names = new Set(cases.map((c) => c[1].name));
    for (const n of ['act', 'pondernet', 'anira-o', 'anira-e', 'anira-e-hazard', 'capacity']) expect(names.has(n), n).toBe(true);
  });

  it.each(cases)('%s trains to a finite loss with finite gradients', (_label, def, name, value) => {
    const pol = def.create(dims, { [name]: value });
    const shallow = tf.randomNormal([B, T, 4], 0, 2, 'float32', 1) as tf.Tensor3D;
    const states = [0, 1, 2, 3].map((i) => tf.randomNormal([B, T, 4], 0, 2, 'float32', 10 + i) as tf.Tensor3D);
    const logits = states.map(() => tf.zeros([B, T, 3]) as tf.Tensor3D);
    const perStep = tf.randomUniform([B, T, 4], 0, 2, 'float32', 3); // stands in for the task loss L_t
    const mask = tf.ones([B, T]) as tf.Tensor2D;
    const objective = () => {
      const out = pol.train({ shallow, states, logits, mask, lossMask: mask, seed: 4 });
      expect(Array.from(out.weights.dataSync()).every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(out.loss.dataSync()[0])).toBe(true);
      return tf.add(out.loss, tf.mean(tf.sum(tf.mul(out.weights, perStep), 2))) as tf.Scalar;
    };
    const vars = Object.values(pol.variables).filter((v) => v.trainable);
    if (vars.length === 0) {
      expect(Number.isFinite(tf.tidy(objective).dataSync()[0])).toBe(true);
    } else {
      const { value, grads } = tf.variableGrads(objective, vars);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      for (const v of vars) expect(Array.from(grads[v.name]!.dataSync()).every(Number.isFinite), v.name).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
    }
    pol.dispose();
    tf.dispose([shallow, ...states, ...logits, perStep, mask]);
  });
});

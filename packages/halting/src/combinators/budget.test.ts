/**
 * `budget` hits its target mean depth within 5% on held-out data drawn from the
 * same distribution (measured with simulateInference), for several policies.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { aniraE } from '../policies/anira-e.js';
import { aniraO } from '../policies/anira-o.js';
import { capacity } from '../policies/capacity.js';
import { ponderNet } from '../policies/pondernet.js';
import { listPolicyDefinitions } from '../registry.js';
import type { HaltingPolicy } from '../spec.js';
import { simulateInference } from '../testing/simulate.js';
import { useCpu } from '../test-setup.js';
import { budget } from './budget.js';

beforeAll(useCpu);

const dims = { dModel: 8, vocabSize: 3, tMax: 8, seed: 13 };
const B = 4, T = 512; // 2048 tokens: held-out sampling error well under 5%

/** States from a fixed distribution: a per-token offset plus per-step noise. */
function draw(seed: number, noise = 0.3) {
  const base = tf.randomNormal([B, T, 8], 0, 1, 'float32', seed) as tf.Tensor3D;
  const states = Array.from({ length: 8 }, (_, t) =>
    tf.add(base, tf.randomNormal([B, T, 8], 0, noise, 'float32', seed * 31 + t)) as tf.Tensor3D);
  const logits = states.map(() => tf.zeros([B, T, 3]) as tf.Tensor3D);
  return { shallow: base, states, logits, dispose: () => tf.dispose([base, ...states, ...logits]) };
}

/** [name, policy, target mean depth, per-step noise of the states] */
const cases: Array<[string, () => HaltingPolicy, number, number]> = [
  ['pondernet (q)', () => ponderNet(dims, { biasInit: -1.5, inference: 'threshold' }), 3, 0.3],
  ['anira-o (q)', () => aniraO(dims, { biasInit: -1 }), 4, 0.3],
  ['anira-e (quantile)', () => aniraE(dims, { decision: 'quantile' }), 4.5, 0.3],
  ['capacity (threshold)', () => capacity(dims), 3, 1],
];

describe.each(cases)('budget: %s', (_name, make, target, noise) => {
  it(`hits mean depth ${target} within 5% on held-out data`, async () => {
    const fit = draw(1, noise), heldOut = draw(2, noise);
    const pol = make();
    const measure = (p: HaltingPolicy) => simulateInference(p, { ...fit, tMax: 8 }).meanDepth;
    const warnings: string[] = [];
    const { value, achieved, converged } = await budget(pol, target, measure, { onWarning: (m) => warnings.push(m) });
    expect(pol.calibration!.get()).toBe(value);
    expect(pol.options[pol.calibration!.name]).toBe(value); // options follow the knob
    expect(Math.abs(achieved - target) / target).toBeLessThanOrEqual(0.05);
    if (converged) expect(warnings).toEqual([]);
    else expect(warnings).toHaveLength(1);
    const mean = simulateInference(pol, { ...heldOut, tMax: 8 }).meanDepth;
    expect(Math.abs(mean - target) / target).toBeLessThanOrEqual(0.05);
    pol.dispose(); fit.dispose(); heldOut.dispose();
  });
});

describe('budget errors', () => {
  it('rejects policies without a knob and bad targets', async () => {
    const p = ponderNet(dims, { inference: 'threshold' });
    await expect(budget(p, 0, () => 1)).rejects.toThrow(/targetMeanDepth/);
    await expect(budget(ponderNet(dims), 2, () => 1)).rejects.toThrow('budget: policy "pondernet" has no calibration knob');
  });
});

describe('budget result and warnings', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  const small = { dModel: 8, vocabSize: 3, tMax: 4, seed: 2 };
  const data = () => {
    const base = tf.randomNormal([2, 64, 8], 0, 1, 'float32', 5) as tf.Tensor3D;
    const states = Array.from({ length: 4 }, () => base);
    const logits = states.map(() => tf.zeros([2, 64, 3]) as tf.Tensor3D);
    return { shallow: base, states, logits, dispose: () => tf.dispose([base, ...logits]) };
  };

  it.each([[99, 'above'], [0.5, 'below']])('target %s (%s every reachable depth): converged false, a warning, and what was achieved', async (target) => {
    const x = data();
    const pol = aniraO(small);
    const measure = (p: HaltingPolicy) => simulateInference(p, { ...x, tMax: 4 }).meanDepth;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const r = await budget(pol, target, measure);
    expect(r.converged).toBe(false);
    expect(r.warning).toMatch(new RegExp(`^budget: target mean depth ${target} for "anira-o" is out of reach \\(measured mean depths .* over q in \\[0.001, 0.999\\]\\); q = .* gives `));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(r.warning);
    expect(r.value).toBe(pol.calibration!.get());
    expect(r.achieved).toBe(measure(pol)); // achieved is the depth at the returned value
    expect(target > 4 ? r.achieved > 3.5 : r.achieved <= 1.01).toBe(true);
    pol.dispose(); x.dispose();
  });

  it('a reachable target converges silently; onWarning replaces console.warn', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const pol = ponderNet(small, { inference: 'threshold' });
    let knob = 0;
    const r = await budget(pol, 2, (p) => { knob = p.calibration!.get(); return 1 + 2 * knob; });
    expect(r).toEqual({ value: knob, achieved: 1 + 2 * knob, converged: true });
    const seen: string[] = [];
    const r2 = await budget(pol, 10, (p) => 1 + 2 * p.calibration!.get(), { onWarning: (m) => seen.push(m) });
    expect(r2.converged).toBe(false);
    expect(seen).toEqual([r2.warning]);
    expect(warn).not.toHaveBeenCalled();
    pol.dispose();
  });
});

describe('options follow the calibration knob', () => {
  const variants: Record<string, Array<Record<string, unknown>>> = {
    'anira-e': [{ decision: 'quantile' }], pondernet: [{ inference: 'threshold' }], capacity: [{}, { inference: 'top-k' }],
    converge: [{}, { criterion: 'argmax' }, { criterion: 'latent' }, { criterion: 'entropy' }],
  };
  const withKnob = listPolicyDefinitions().flatMap((d) => (variants[d.name] ?? [{}]).map((o) => [`${d.name} ${JSON.stringify(o)}`, d, o] as const));
  it.each(withKnob)('%s', (_n, def, o) => {
    const pol = def.create({ dModel: 4, vocabSize: 3, tMax: 6, seed: 1 }, o);
    if (!pol.calibration) { expect(['act', 'pondernet', 'anira-e'].includes(def.name) && Object.keys(o).length === 0).toBe(true); pol.dispose(); return; }
    const { name, range } = pol.calibration;
    for (const v of [range[0], (range[0] + range[1]) / 3, range[1]]) {
      pol.calibration.set(v);
      expect(pol.options[name], `${name} = ${v}`).toBe(pol.calibration.get());
    }
    pol.dispose();
  });
});

/**
 * `simulateInference`: a reference driver that runs the spec's inference loop on
 * GIVEN per-step states and logits (no transformer). Frozen-token semantics: once
 * a token halts, the states and logits it sees afterwards are its exit values, so
 * its later given states are ignored. Returns plain numbers, frees every tensor.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { HaltingPolicy, PolicyCarry } from '../spec.js';

export interface SimulationInput {
  /** Shallow representation, [B, T, C]. */
  readonly shallow: tf.Tensor3D;
  /** States after iterations 1..tMax, each [B, T, C] (at least tMax of them). */
  readonly states: readonly tf.Tensor3D[];
  /** Logits after iterations 1..tMax, each [B, T, V]. */
  readonly logits: readonly tf.Tensor3D[];
  /** 1 for real tokens, [B, T]; default all ones. */
  readonly mask?: tf.Tensor2D;
  readonly tMax: number;
  readonly seed?: number;
}

export interface SimulationResult {
  /** Exit depth per token [B][T], in [1, tMax] for real tokens, 0 for padding. */
  readonly exitDepth: number[][];
  /** Per-step halting probability while the token ran, [B][T][steps]; null when undefined. */
  readonly haltProb: (number | null)[][][];
  /** Expected depth from `start()`, [B][T], when the policy defines it. */
  readonly expectedDepth: number[][] | null;
  /** Planned depth from `start()`, [B][T], when the policy defines it. */
  readonly plannedDepth: number[][] | null;
  /** Mean exit depth over real tokens. */
  readonly meanDepth: number;
}

/** Row-major `v` of B * T entries -> [B][T]. */
function to2d<V>(v: ArrayLike<V>, B: number, T: number): V[][] {
  return Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => {
    const x = v[b * T + t];
    if (x === undefined) throw new Error(`invariant: ${v.length} values for a [${B}, ${T}] grid`);
    return x;
  }));
}

/** Run `fn` in a tidy scope, keeping the tensors `keep(result)` lists. */
function tidyKeep<R>(fn: () => R, keep: (r: R) => (tf.Tensor | null | undefined)[]): R {
  let out!: R;
  tf.tidy(() => {
    out = fn();
    for (const t of keep(out)) if (t) tf.keep(t);
  });
  return out;
}

function replaceCarry(old: PolicyCarry, next: PolicyCarry): void {
  const keep = new Set(Object.values(next));
  for (const t of Object.values(old)) if (!keep.has(t) && !t.isDisposed) t.dispose();
}

/**
 * Run the spec's inference loop for `policy` on the given per-step states and logits
 * (frozen-token semantics, see the module comment) and return exit depths, halting
 * steps and the mean depth as plain numbers. Frees every tensor it creates.
 */
export function simulateInference(policy: HaltingPolicy, input: SimulationInput): SimulationResult {
  const { shallow, states, logits, tMax } = input;
  const seed = input.seed ?? 0;
  const [B, T] = shallow.shape;
  if (states.length < tMax || logits.length < tMax) {
    throw new AniraInputError(`simulateInference: need ${tMax} states and logits, got ${states.length} and ${logits.length}`);
  }
  const mask = input.mask ?? tf.ones([B, T]);
  let carry: PolicyCarry = {};
  let expectedDepth: number[][] | null = null;
  let plannedDepth: number[][] | null = null;
  const { start } = policy;
  if (start) {
    const out = tidyKeep(() => {
      const o = start.call(policy, { shallow, mask, tMax, seed });
      return { carry: o.carry ?? {}, plannedDepth: o.plannedDepth ?? null, expectedDepth: o.expectedDepth ?? null };
    }, (o) => [...Object.values(o.carry), o.plannedDepth, o.expectedDepth]);
    carry = out.carry;
    if (out.plannedDepth) plannedDepth = to2d(out.plannedDepth.dataSync(), B, T);
    if (out.expectedDepth) expectedDepth = to2d(out.expectedDepth.dataSync(), B, T);
    for (const t of [out.plannedDepth, out.expectedDepth]) if (t && !Object.values(carry).includes(t)) t.dispose();
  }
  const maskV = mask.dataSync();
  const activeV = Float32Array.from(maskV, (m) => (m > 0.5 ? 1 : 0));
  const exit = new Array<number>(B * T).fill(0);
  const probs: (number | null)[][] = Array.from({ length: B * T }, () => []);
  let frozenState = tf.clone(shallow);
  const [firstLogits] = logits;
  if (firstLogits === undefined) throw new AniraInputError('simulateInference: need at least 1 step of logits, got 0');
  let frozenLogits = tf.zerosLike(firstLogits);
  for (let t = 1; t <= tMax; t++) {
    const active = tf.tensor2d(activeV, [B, T]);
    const res = tidyKeep(() => {
      const a3 = tf.expandDims(active, 2); // [B, T, 1]
      const given = states[t - 1], givenLogits = logits[t - 1];
      if (given === undefined || givenLogits === undefined) throw new Error(`invariant: no state or logits for step ${t} of ${tMax}`);
      const state = tf.add(tf.mul(a3, given), tf.mul(tf.sub(1, a3), frozenState)) as tf.Tensor3D;
      const lg = tf.add(tf.mul(a3, givenLogits), tf.mul(tf.sub(1, a3), frozenLogits)) as tf.Tensor3D;
      const o = policy.step({ t, tMax, state, previousState: frozenState as tf.Tensor3D, logits: lg, active, mask, carry, seed });
      return { state, lg, halt: o.halt, haltProb: o.haltProb ?? null, carry: o.carry ?? carry };
    }, (r) => [r.state, r.lg, r.halt, r.haltProb, ...Object.values(r.carry)]);
    const haltV = res.halt.dataSync();
    const probV = res.haltProb ? res.haltProb.dataSync() : null;
    for (let i = 0; i < B * T; i++) {
      if (activeV[i] === 0) continue;
      const row = probs[i], prob = probV ? probV[i] : null, halt = haltV[i];
      if (row === undefined || prob === undefined || halt === undefined) throw new Error(`invariant: step ${t} has no value for token ${i} of ${B * T}`);
      row.push(prob);
      if (halt > 0.5 || t === tMax) { exit[i] = t; activeV[i] = 0; }
    }
    replaceCarry(carry, res.carry);
    carry = res.carry;
    frozenState.dispose(); frozenLogits.dispose(); active.dispose();
    const carried = new Set(Object.values(carry));
    for (const x of [res.halt, res.haltProb]) if (x && !carried.has(x)) x.dispose();
    frozenState = res.state;
    frozenLogits = res.lg;
    if (!activeV.some((v) => v > 0)) break;
  }
  replaceCarry(carry, {});
  frozenState.dispose(); frozenLogits.dispose();
  if (!input.mask) mask.dispose();
  let sum = 0, n = 0;
  for (const [i, d] of exit.entries()) {
    const m = maskV[i];
    if (m === undefined) throw new Error(`invariant: mask has ${maskV.length} entries for ${exit.length} tokens`);
    if (m > 0.5) { sum += d; n++; }
  }
  return {
    exitDepth: to2d(exit, B, T),
    haltProb: to2d(probs, B, T),
    expectedDepth, plannedDepth, meanDepth: n ? sum / n : 0,
  };
}

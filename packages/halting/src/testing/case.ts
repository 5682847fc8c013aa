/**
 * A policy test case as plain arrays (`PolicyCase`, what the fast-check arbitraries
 * generate, or written by hand) and `toTensors`, which turns one into the tensors
 * `train()` and `simulateInference` take. No fast-check here.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface PolicyCase {
  readonly dims: { dModel: number; vocabSize: number; tMax: number; seed: number };
  readonly batch: number;
  readonly length: number;
  readonly shallow: number[];
  /** tMax entries of batch * length * dModel values. */
  readonly states: number[][];
  /** tMax entries of batch * length * vocabSize values. */
  readonly logits: number[][];
  /** batch * length 0/1 values; every row has at least one real token. */
  readonly mask: number[];
}

export interface CaseTensors {
  shallow: tf.Tensor3D; states: tf.Tensor3D[]; logits: tf.Tensor3D[]; mask: tf.Tensor2D; lossMask: tf.Tensor2D;
  dispose(): void;
}

/** Tensors for a `PolicyCase` (lossMask = mask); call `dispose()` when done. */
export function toTensors(c: PolicyCase): CaseTensors {
  const { batch: B, length: T, dims } = c;
  const shallow = tf.tensor3d(c.shallow, [B, T, dims.dModel]);
  const states = c.states.map((s) => tf.tensor3d(s, [B, T, dims.dModel]));
  const logits = c.logits.map((l) => tf.tensor3d(l, [B, T, dims.vocabSize]));
  const mask = tf.tensor2d(c.mask, [B, T]);
  const lossMask = tf.clone(mask);
  const all = [shallow, ...states, ...logits, mask, lossMask];
  return { shallow, states, logits, mask, lossMask, dispose: () => all.forEach((t) => t.dispose()) };
}

/**
 * The halting-policy specification, version "v1": the only thing the model knows
 * about policies. The model owns the recurrent loop; a policy only decides.
 *
 * Lifecycle:
 *   1. `definition.create(dims, options)` builds a policy; it owns its variables.
 *   2. Training: the model runs every token through all `tMax` iterations (masks, no
 *      skipping) and calls `train()` once with every step's state and logits. The
 *      policy returns per-token weights over exit steps and its own loss terms.
 *   3. Inference: `start()` once with the shallow state (before iteration 1), then
 *      `step()` after each iteration; tokens for which `halt` is 1 are frozen and the
 *      model stops computing them. At `tMax` every token halts regardless.
 *   4. `dispose()` frees the variables.
 * Every call happens inside the model's `tf.tidy`. A policy keeps no tensors between
 * calls; what it must remember across inference steps it returns as `carry`, which
 * the model keeps alive and disposes once it is replaced.
 *
 * Shapes: B batch, T sequence length, C model width, V vocabulary, S = tMax.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** The version of this specification. */
export const HALTING_SPEC_VERSION = 'v1' as const;
export type HaltingSpecVersion = typeof HALTING_SPEC_VERSION;

/** Model dimensions handed to a policy factory. */
export interface PolicyDims {
  readonly dModel: number;
  readonly vocabSize: number;
  /** Training-time maximum number of iterations. Inference may use more. */
  readonly tMax: number;
  /** Seed for the policy's variable initialisation. */
  readonly seed: number;
}

/**
 * How the model turns per-step quantities into the training objective:
 * - `expected-loss`: objective = sum_t weights[t] * L_t (PonderNet, ANIRA-E/O, fixed);
 * - `mixture`: logits are read from the state mixture sum_t weights[t] * h_t (ACT).
 */
export type TrainingCombine = 'expected-loss' | 'mixture';

export interface TrainingInput {
  /** Shallow representation (after embedding and prelude, before iteration 1), [B, T, C]. */
  readonly shallow: tf.Tensor3D;
  /** State after iteration t = 1..S, each [B, T, C]. */
  readonly states: readonly tf.Tensor3D[];
  /** Output logits after iteration t = 1..S, each [B, T, V]. */
  readonly logits: readonly tf.Tensor3D[];
  /** 1 for real tokens, 0 for padding, [B, T]. */
  readonly mask: tf.Tensor2D;
  /** 1 where the token carries a loss target, [B, T]. Policies may average over it. */
  readonly lossMask: tf.Tensor2D;
  /** Seed for sampling in this training step (differs per step, fixed by the run seed). */
  readonly seed: number;
}

export interface TrainingOutput {
  /** Per-token weights over exit steps, [B, T, S]; each row sums to 1. */
  readonly weights: tf.Tensor3D;
  readonly combine: TrainingCombine;
  /** The policy's own loss (ponder cost, KL to a prior, router BCE...), a scalar; 0 if none. */
  readonly loss: tf.Scalar;
  /** Named parts of `loss`, for the metrics log. */
  readonly lossTerms?: Readonly<Record<string, tf.Scalar>>;
}

/** Tensors a policy carries from one inference step to the next. */
export type PolicyCarry = Readonly<Record<string, tf.Tensor>>;

export interface InferenceStartInput {
  /** Shallow representation, [B, T, C]. */
  readonly shallow: tf.Tensor3D;
  /** 1 for real tokens, 0 for padding, [B, T]. */
  readonly mask: tf.Tensor2D;
  /** Maximum iterations at inference (may exceed the training tMax). */
  readonly tMax: number;
  readonly seed: number;
}

export interface InferenceStartOutput {
  /** Depth decided up front (early-decision policies), int32 [B, T] in [1, tMax]. */
  readonly plannedDepth?: tf.Tensor2D;
  /** Expected depth under the policy's distribution, [B, T], when defined up front. */
  readonly expectedDepth?: tf.Tensor2D;
  readonly carry?: PolicyCarry;
}

export interface InferenceStepInput {
  /** The iteration just completed, 1-based. */
  readonly t: number;
  readonly tMax: number;
  /** State after iteration t, [B, T, C]; rows of halted tokens hold their frozen exit state. */
  readonly state: tf.Tensor3D;
  /** State before iteration t, [B, T, C]. */
  readonly previousState: tf.Tensor3D;
  /** Logits after iteration t, [B, T, V]. */
  readonly logits: tf.Tensor3D;
  /** 1 for tokens that were updated at iteration t (still running), [B, T]. */
  readonly active: tf.Tensor2D;
  /** 1 for real tokens, 0 for padding, [B, T]. */
  readonly mask: tf.Tensor2D;
  readonly carry: PolicyCarry;
  readonly seed: number;
}

export interface InferenceStepOutput {
  /** 1 = halt now, [B, T]; only read where `active` is 1. */
  readonly halt: tf.Tensor2D;
  /** Halting probability at this step, [B, T], for traces; omit if undefined. */
  readonly haltProb?: tf.Tensor2D;
  readonly carry?: PolicyCarry;
}

/** A scalar knob that trades depth for accuracy, used by `budget()` calibration. */
export interface CalibrationKnob {
  readonly name: string;
  get(): number;
  set(value: number): void;
  /** Allowed interval of the knob. */
  readonly range: readonly [number, number];
  /** True when raising the knob raises the mean depth. */
  readonly increasesDepth: boolean;
}

/** A halting policy, specification v1. */
export interface HaltingPolicy {
  readonly specificationVersion: HaltingSpecVersion;
  /** Policy name as shown in traces and reports, e.g. "pondernet". */
  readonly name: string;
  /** Trainable variables by stable name (saved in checkpoints, updated by the optimizer). */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** The options the policy was created with (saved in the run config). */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * The definition and options that created this instance, when they differ from
   * `name` and `options`: a definition whose `create` composes policies (e.g. returns
   * `anyOf(...)`). Checkpoints record it, so the same definition rebuilds the policy.
   */
  readonly source?: PolicySource;
  train(input: TrainingInput): TrainingOutput;
  start?(input: InferenceStartInput): InferenceStartOutput;
  step(input: InferenceStepInput): InferenceStepOutput;
  readonly calibration?: CalibrationKnob;
  dispose(): void;
}

/** The definition name and resolved options a policy instance was created by. */
export interface PolicySource {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Describes one policy option (for `anira policies`, CLI flags and validation). */
export interface PolicyOptionSpec {
  readonly name: string;
  readonly type: 'number' | 'integer' | 'boolean' | 'string';
  readonly default: number | boolean | string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  readonly description: string;
}

/** A named, documented policy factory. User policies export one of these. */
export interface PolicyDefinition<O extends Record<string, unknown> = Record<string, unknown>> {
  readonly specificationVersion: HaltingSpecVersion;
  readonly name: string;
  readonly description: string;
  readonly options: readonly PolicyOptionSpec[];
  create(dims: PolicyDims, options?: Partial<O>): HaltingPolicy;
}

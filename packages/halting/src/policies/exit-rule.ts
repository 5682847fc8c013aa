/**
 * The per-step exit rule shared by the stepwise core (PonderNet, ANIRA-O) and
 * ANIRA-E-hazard, so that, fed the same hazards, they make the same exits.
 * After iteration t with hazard lambda_t [B, T]:
 *   p_t = lambda_t * survive * active,  cumulative += p_t,  survive -= p_t;
 *   'threshold': halt when cumulative >= q;
 *   'sample':    halt when u_t < lambda_t, u_t ~ U(0, 1) [B, T] drawn with the
 *                seed deriveSeed(seed, 'halting:step:' + t) (one draw per step).
 * At t >= tMax every token halts. The calibration knob is q (threshold only).
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@anira/tensor';
import { haltAt } from '../define-policy.js';
import type { CalibrationKnob, PolicyCarry } from '../spec.js';
import type { ExitInference } from './stepwise-options.js';

export interface ExitStepInput {
  /** Hazard of the step just completed, [B, T]. */
  readonly lambda: tf.Tensor2D;
  readonly t: number;
  readonly tMax: number;
  /** 1 for tokens still running, [B, T]. */
  readonly active: tf.Tensor2D;
  /** Carry with `survive` and `cumulative` [B, T] (absent at t = 1: 1 and 0). */
  readonly carry: PolicyCarry;
  readonly seed: number;
  readonly inference: ExitInference;
  readonly q: number;
}

export interface ExitStepOutput {
  readonly halt: tf.Tensor2D;
  /** The carry for the next step: survive and cumulative, [B, T] each. */
  readonly carry: PolicyCarry;
}

/** The uniform u_t [B, T] the 'sample' rule compares with lambda_t at step t. */
export function exitUniform(shape: [number, number], seed: number, t: number): tf.Tensor2D {
  return tf.randomUniform(shape, 0, 1, 'float32', deriveSeed(seed, `halting:step:${t}`)) as tf.Tensor2D;
}

/** One step of the exit rule (see the module comment). */
export function exitStep({ lambda, t, tMax, active, carry, seed, inference, q }: ExitStepInput): ExitStepOutput {
  const survive = carry['survive'] ?? tf.onesLike(lambda);
  const prev = carry['cumulative'] ?? tf.zerosLike(lambda);
  const pt = tf.mul(tf.mul(lambda, survive), active); // probability of exiting exactly at t
  const cumulative = tf.add(prev, pt);
  const nextSurvive = tf.sub(survive, pt);
  const cond = inference === 'sample'
    ? tf.less(exitUniform(active.shape, seed, t), lambda)
    : tf.greaterEqual(cumulative, q);
  return { halt: haltAt(cond, t, tMax), carry: { survive: nextSurvive, cumulative } };
}

/** The `q` calibration knob over `opts.q` (kept in the options object, so `options` stays live). */
export function thresholdKnob(opts: { q: number }): CalibrationKnob {
  return {
    name: 'q',
    get: () => opts.q,
    set: (v) => { opts.q = Math.min(0.999, Math.max(0.001, v)); },
    range: [0.001, 0.999],
    increasesDepth: true,
  };
}

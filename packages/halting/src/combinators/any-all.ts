/**
 * `anyOf(...policies)` halts a token when any member halts; `allOf(...)` when all
 * have. Every member's `step` runs every iteration (each keeps its own carry,
 * namespaced `<index>/<key>`); variables are forwarded as `<index>/<name>`.
 * Training rule: at most ONE member may have trainable variables (creation
 * refuses more, with a one-line error: a combined objective for several learned
 * halting distributions under a min/max of exits is not defined here). That
 * member's training output is used as is (weights, combine, loss), or the first
 * member's when none is trainable; the others are inference-time criteria (e.g.
 * converge, fixed, or a policy whose variables are all `trainable: false`) and
 * their train() is not called. The calibration knob is that same member's.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { HALTING_SPEC_VERSION, type HaltingPolicy, type PolicyCarry } from '../spec.js';

function slice(carry: PolicyCarry, i: number): PolicyCarry {
  const prefix = `${i}/`;
  const out: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(carry)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function merge(parts: readonly (PolicyCarry | undefined)[]): PolicyCarry {
  const out: Record<string, tf.Tensor> = {};
  parts.forEach((c, i) => { for (const [k, v] of Object.entries(c ?? {})) out[`${i}/${k}`] = v; });
  return out;
}

function combine(kind: 'any' | 'all', policies: readonly HaltingPolicy[]): HaltingPolicy {
  const fn = `${kind}Of`;
  const [first] = policies;
  if (first === undefined) throw new AniraInputError(`${fn}: needs at least 1 policy, got 0`);
  const learners = policies.map((p, i) => [p, i] as const).filter(([p]) => Object.values(p.variables).some((v) => v.trainable));
  if (learners.length > 1) {
    const list = learners.map(([p, i]) => `${i} (${p.name})`).join(', ');
    throw new AniraInputError(`${fn}: at most 1 member may have trainable variables, got ${learners.length}: members ${list}; the others must be inference-time criteria (no variables, or all trainable: false)`);
  }
  const trained = learners[0]?.[0] ?? first;
  const variables: Record<string, tf.Variable> = {};
  policies.forEach((p, i) => { for (const [k, v] of Object.entries(p.variables)) variables[`${i}/${k}`] = v; });
  return {
    specificationVersion: HALTING_SPEC_VERSION,
    name: `${fn}(${policies.map((p) => p.name).join(', ')})`,
    variables,
    options: { policies: policies.map((p) => ({ name: p.name, options: p.options })) },
    train: (input) => trained.train(input),
    start(input) {
      const outs = policies.map((p) => (p.start ? p.start(input) : {}));
      const carry = merge(outs.map((o) => o.carry));
      const plans = outs.map((o) => o.plannedDepth);
      if (plans.every((p): p is tf.Tensor2D => p !== undefined)) {
        const plannedDepth = plans.reduce((a, b) => (kind === 'any' ? tf.minimum(a, b) : tf.maximum(a, b)) as tf.Tensor2D);
        return { plannedDepth, carry };
      }
      return { carry };
    },
    step(input) {
      const outs = policies.map((p, i) => p.step({ ...input, carry: slice(input.carry, i) }));
      const halts = outs.map((o) => tf.cast(o.halt, 'float32'));
      let halt = halts.reduce((a, b) => (kind === 'any' ? tf.maximum(a, b) : tf.minimum(a, b)));
      if (input.t >= input.tMax) halt = tf.onesLike(halt);
      const [lead] = outs;
      if (lead === undefined) throw new Error(`invariant: ${fn} has no member output`);
      const haltProb = lead.haltProb;
      const carry = merge(outs.map((o) => o.carry));
      return haltProb ? { halt: halt as tf.Tensor2D, haltProb, carry } : { halt: halt as tf.Tensor2D, carry };
    },
    ...(trained.calibration ? { calibration: trained.calibration } : {}),
    dispose: () => policies.forEach((p) => p.dispose()),
  };
}

/** Halt when any member halts. */
export const anyOf = (...policies: HaltingPolicy[]): HaltingPolicy => combine('any', policies);
/** Halt when every member has decided to halt (at the same step). */
export const allOf = (...policies: HaltingPolicy[]): HaltingPolicy => combine('all', policies);

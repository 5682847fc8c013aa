/**
 * `minDepth(policy, d)` and `maxDepth(policy, d)`: clamp another policy's exit
 * depth. Training weights outside the allowed steps are removed and the rest
 * renormalised (all mass to step d if nothing is left). Variables, carry and the
 * calibration knob are the wrapped policy's (one policy, so no name clash). The
 * wrapper owns the wrapped policy and disposes it.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { HALTING_SPEC_VERSION, type HaltingPolicy } from '../spec.js';
import { restrictWeights } from './renormalise.js';

function checkDepth(fn: string, d: number): void {
  if (!Number.isInteger(d) || d < 1) throw new AniraInputError(`${fn}: "d" must be an integer >= 1, got ${d}`);
}

function bounded(policy: HaltingPolicy, kind: 'min' | 'max', d: number): HaltingPolicy {
  const fn = `${kind}Depth`;
  checkDepth(fn, d);
  return {
    specificationVersion: HALTING_SPEC_VERSION,
    name: `${fn}(${policy.name}, ${d})`,
    variables: policy.variables,
    get options() { return { [kind === 'min' ? 'minDepth' : 'maxDepth']: d, policy: policy.name, inner: policy.options }; },
    train(input) {
      const out = policy.train(input);
      const S = input.states.length;
      const weights = kind === 'min' ? restrictWeights(out.weights, d, S, d) : restrictWeights(out.weights, 1, d, d);
      return { ...out, weights };
    },
    start(input) {
      const out = policy.start ? policy.start(input) : {};
      if (!out.plannedDepth) return out.carry ? { carry: out.carry } : {};
      const plannedDepth = (kind === 'min'
        ? tf.minimum(tf.maximum(out.plannedDepth, d), input.tMax)
        : tf.minimum(out.plannedDepth, d)) as tf.Tensor2D;
      return out.carry ? { plannedDepth, carry: out.carry } : { plannedDepth };
    },
    step(input) {
      const out = policy.step(input);
      const { t, tMax } = input;
      let halt: tf.Tensor2D;
      if (t >= tMax) halt = tf.onesLike(out.halt);
      else if (kind === 'min') halt = t >= d ? out.halt : tf.zerosLike(out.halt);
      else halt = t >= d ? tf.onesLike(out.halt) : out.halt;
      return { ...out, halt };
    },
    ...(policy.calibration ? { calibration: policy.calibration } : {}),
    dispose: () => policy.dispose(),
  };
}

/** Never exit before iteration `d`. */
export const minDepth = (policy: HaltingPolicy, d: number): HaltingPolicy => bounded(policy, 'min', d);
/** Always exit by iteration `d`. */
export const maxDepth = (policy: HaltingPolicy, d: number): HaltingPolicy => bounded(policy, 'max', d);

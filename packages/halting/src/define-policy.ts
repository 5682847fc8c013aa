/**
 * `definePolicy`: builds a `PolicyDefinition` whose `create` validates options with
 * `resolvePolicyOptions` before building the policy, so programmatic and CLI use
 * share one validation path. Also small helpers every built-in policy uses.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { resolvePolicyOptions } from './options.js';
import { HALTING_SPEC_VERSION, type HaltingPolicy, type PolicyDefinition, type PolicyDims, type PolicyOptionSpec, type PolicySource } from './spec.js';

/**
 * Define a policy for the registry: `name`, a one-line `description`, the option specs
 * (validated and defaulted by `resolvePolicyOptions` before `build` runs) and `build`,
 * which creates the `HaltingPolicy` for the model dims and resolved options. When
 * `build` returns a policy of another name (a composition such as `anyOf(...)`), the
 * policy's `source` records this definition and the options, so a checkpoint of it
 * reloads with `loadCheckpoint(p, { policy: (d, o) => definition.create(d, o) })`.
 */
export function definePolicy<O extends Record<string, unknown>>(
  name: string,
  description: string,
  options: readonly PolicyOptionSpec[],
  build: (dims: PolicyDims, options: O) => HaltingPolicy,
): PolicyDefinition<O> {
  const def: PolicyDefinition<O> = {
    specificationVersion: HALTING_SPEC_VERSION,
    name,
    description,
    options,
    create(dims, raw) {
      checkDims(name, dims);
      const options = resolvePolicyOptions(def, (raw ?? {}) as Record<string, unknown>);
      const policy = build(dims, options as unknown as O);
      return policy.name === name ? policy : withSource(policy, { name, options });
    },
  };
  return def;
}

/** `policy` carrying the definition that built it (a composed policy: `anyOf(...)` of a definition's `create`). */
function withSource(policy: HaltingPolicy, source: PolicySource): HaltingPolicy {
  if (policy.source !== undefined) return policy;
  if (!Object.isExtensible(policy)) return { ...policy, source };
  Object.defineProperty(policy, 'source', { value: source, enumerable: true });
  return policy;
}

function checkDims(name: string, dims: PolicyDims): void {
  for (const key of ['dModel', 'vocabSize', 'tMax'] as const) {
    const v = dims[key];
    if (!Number.isInteger(v) || v < 1) throw new AniraInputError(`${name}: dims "${key}" must be an integer >= 1, got ${v}`);
  }
}

/** 1 where `cond` holds or the step limit is reached, [B, T] float32. */
export function haltAt(cond: tf.Tensor, t: number, tMax: number): tf.Tensor2D {
  const c = tf.cast(cond, 'float32');
  return (t >= tMax ? tf.onesLike(c) : c) as tf.Tensor2D;
}

/** One-hot weights [B, T, S] at step `d` (1-based) for every token. */
export function oneHotAt(B: number, T: number, S: number, d: number): tf.Tensor3D {
  const row = new Float32Array(S);
  row[Math.min(S, Math.max(1, d)) - 1] = 1;
  return tf.tile(tf.tensor3d(row, [1, 1, S]), [B, T, 1]) as tf.Tensor3D;
}

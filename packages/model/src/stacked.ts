/**
 * Stacked models: K replicas (typically K seeds) of one model config held as one
 * `LoopedTransformer` whose every weight has a leading replica axis `[K, ...]`.
 * The model code is the lone model's: the replica-aware ops of `@anira/tensor`
 * run each replica's rows against its own weights in one batched product, and
 * batches hold the K replicas' batches one after the other (replica-major).
 * `stackModels` stacks K lone models' current weights (so a replica starts
 * exactly where a lone run of its seed starts); `copyReplica` writes replica k's
 * weights back into a lone model (evaluation, checkpoints).
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { variable } from '@anira/tensor';
import { LoopedTransformer } from './model.js';
import type { Params } from './params.js';

let instance = 0;

/**
 * Slice `k` of a stacked tensor `[K, ...] -> [...]`, as a tensor of its own: a
 * reshaped slice (or a gather) would share its data with a tensor of another
 * shape, and the wasm backend keeps that shape with the data (a variable assigned
 * from it then fails as the rank-1 bias of a fused product).
 */
export function replicaSlice(x: tf.Tensor, k: number): tf.Tensor {
  const rest = x.shape.slice(1);
  return tf.add(tf.reshape(tf.slice(x, [k, ...rest.map(() => 0)], [1, ...rest]), rest), 0); // the add makes data of shape `rest`
}

/**
 * One stacked model from K >= 1 lone models of the same config (their seeds may
 * differ): weights `[K, ...]`, replica k initialised with model k's current weights.
 * The lone models are left as they are (the caller keeps and disposes them).
 */
export function stackModels(models: readonly LoopedTransformer[]): LoopedTransformer {
  const first = models[0];
  if (!first) throw new AniraInputError('stackModels: "models" must hold at least 1 model, got 0');
  const ref = first.config as unknown as Record<string, unknown>;
  models.forEach((m, i) => {
    if (m.replicas !== undefined) throw new AniraInputError(`stackModels: model ${i} is already stacked`);
    const cfg = m.config as unknown as Record<string, unknown>;
    for (const key of Object.keys(ref)) {
      if (key !== 'seed' && cfg[key] !== ref[key]) {
        throw new AniraInputError(`stackModels: model ${i} has "${key}" ${JSON.stringify(cfg[key])}, model 0 has ${JSON.stringify(ref[key])}; replicas differ only in "seed"`);
      }
    }
  });
  const prefix = `anira-stacked-${instance++}/`;
  const params: Record<string, tf.Variable> = {};
  for (const name of Object.keys(first.params)) {
    params[name] = variable(tf.stack(models.map((m) => m.params[name]!)), prefix + name); // [K, ...]
  }
  return new LoopedTransformer(first.config, { params: params as Params, replicas: models.length });
}

/** Copy replica `k`'s weights of a stacked model into the lone model `into`. */
export function copyReplica(stacked: LoopedTransformer, k: number, into: LoopedTransformer): void {
  if (stacked.replicas === undefined || k < 0 || k >= stacked.replicas) {
    throw new AniraInputError(`copyReplica: replica must be in [0, ${(stacked.replicas ?? 0) - 1}], got ${k}`);
  }
  tf.tidy(() => {
    for (const [name, v] of Object.entries(into.params)) v.assign(replicaSlice(stacked.params[name]!, k));
  });
}

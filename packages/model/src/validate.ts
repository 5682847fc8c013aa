/**
 * Checks at the API boundary (`infer`, `inferAsync`, `trainForward`,
 * `traceExamples`, `collate`): a mismatch between the model, the policy and the
 * data fails at entry with one line in the user's terms, instead of a shape error
 * deep inside a matmul or a silently wrong result (a one-hot of an out-of-range
 * token id is a zero row).
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { HaltingPolicy } from '@anira/halting';
import type { Batch } from './batch.js';
import type { LoopedTransformer } from './model.js';

/**
 * The model width a policy was created for, read from its heads' input weights
 * (variables named `*.w` or `*.w1` of shape `[dModel, out]`, as every built-in
 * head and combinator writes them); undefined when the policy has no such head.
 */
export function policyWidth(policy: HaltingPolicy): number | undefined {
  for (const [name, v] of Object.entries(policy.variables)) {
    if (v.rank === 2 && /\.w1?$/.test(name)) return v.shape[0];
  }
  return undefined;
}

/** Throws when `policy` was created for another model width than `model`. */
export function checkPolicyFits(where: string, model: LoopedTransformer, policy: HaltingPolicy): void {
  const width = policyWidth(policy);
  const c = model.config.dModel;
  if (width !== undefined && width !== c) {
    throw new AniraInputError(`${where}: policy "${policy.name}" was created for dModel ${width}, the model has dModel ${c}`);
  }
}

/** Throws when a batch holds token ids or targets outside the model's vocabulary, or is longer than `maxLength`. */
export function checkBatchFits(where: string, model: LoopedTransformer, batch: Batch): void {
  const { vocabSize: v, maxLength } = model.config;
  if (batch.length > maxLength) throw new AniraInputError(`${where}: batch length must be in [1, ${maxLength}] (the model's "maxLength"), got ${batch.length}`);
  const at = (i: number) => `example ${Math.floor(i / batch.length)} position ${i % batch.length}`; // formatted only to throw
  for (let i = 0; i < batch.input.length; i++) {
    if (batch.mask[i]! === 0) continue;
    const id = batch.input[i]!;
    const target = batch.target[i]!;
    if (id < 0 || id >= v) throw new AniraInputError(`${where}: token id must be in [0, ${v - 1}] (the model's vocabSize is ${v}), got ${id} at ${at(i)}`);
    if (target >= v) throw new AniraInputError(`${where}: target id must be in [0, ${v - 1}] or -1 (the model's vocabSize is ${v}), got ${target} at ${at(i)}`);
  }
}

/**
 * Generalization splits by the task's size knob: in-distribution params at the train
 * sizes, out-of-distribution params at strictly larger sizes, all else equal.
 */
import { AniraInputError } from './errors.js';
import type { ParamInput, Task } from './task.js';

/** `params` (resolved) with the size knob set to `size`; throws if that is invalid. */
export function withSize(task: Task, params: ParamInput | undefined, size: number): Record<string, number> {
  return task.resolveParams({ ...(params ?? {}), [task.sizeParam]: size });
}

/** Resolved params per size, for training and for out-of-distribution evaluation. */
export interface SizeSplits {
  readonly train: Record<string, number>[];
  readonly ood: Record<string, number>[];
}

/** Params for each train and OOD size; every OOD size must exceed every train size. */
export function sizeSplits(
  task: Task,
  sizes: { readonly train: readonly number[]; readonly ood: readonly number[] },
  base?: ParamInput,
): SizeSplits {
  if (sizes.train.length === 0) throw new AniraInputError(`sizeSplits: "train" must list at least one ${task.sizeParam}`);
  const maxTrain = Math.max(...sizes.train);
  for (const s of sizes.ood) {
    if (s <= maxTrain) throw new AniraInputError(`sizeSplits: every "ood" ${task.sizeParam} must be > ${maxTrain} (the largest train size), got ${s}`);
  }
  return {
    train: sizes.train.map((s) => withSize(task, base, s)),
    ood: sizes.ood.map((s) => withSize(task, base, s)),
  };
}

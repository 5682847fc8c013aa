/**
 * The sizes `anira eval --sizes` may trace on a trained run: the task must accept each
 * size, and each size's longest sequence must fit the positions the model was built
 * with (`maxLength`, fixed at training time from `task.trainSizes` and
 * `task.evalSizes`). Checked before anything is traced, so a bad size is one line
 * naming the flag, not an error from the middle of a trace.
 */
import { prefixed, UsageError } from '../errors.js';
import type { TaskSetup } from './setup.js';

export function checkEvalSizes(setup: TaskSetup, maxLength: number, sizes: readonly number[]): void {
  const knob = setup.task.sizeParam;
  for (const size of sizes) {
    let length: number;
    try {
      length = setup.task.maxLength(setup.withSize(size));
    } catch (e) {
      throw prefixed(`--sizes ${size}`, e);
    }
    if (length > maxLength) {
      const largest = largestFitting(setup, maxLength, size);
      throw new UsageError(
        `--sizes ${size}: ${setup.task.name} at ${knob} ${size} makes sequences of up to ${length} tokens, but this run's model covers ${maxLength} ` +
          `(fixed when it was built, from task.trainSizes and task.evalSizes); ${largest !== undefined ? `the largest ${knob} that fits is ${largest}` : `no smaller ${knob} fits`}, ` +
          `or list ${size} in task.evalSizes before training`,
        { field: '--sizes' },
      );
    }
  }
}

/** The largest size below `above` that the task accepts and whose sequences fit `maxLength`. */
function largestFitting(setup: TaskSetup, maxLength: number, above: number): number | undefined {
  for (let s = above - 1; s >= 0; s--) if (setup.accepts(s) && setup.task.maxLength(setup.withSize(s)) <= maxLength) return s;
  return undefined;
}

/**
 * fast-check arbitraries for tasks (`@anira/tasks/testing`), for this package's and
 * other packages' property tests. Integer knobs are drawn from [min, min(max, 2 * default + 1)]
 * so examples stay small; choice knobs over all their choices (as indices); invalid
 * combinations are filtered out via `resolveParams`.
 */
import fc from 'fast-check';
import { listTasks } from './registry.js';
import type { Task } from './task.js';

/** Seeds accepted by `createRng` / `generateExample`. */
export function seeds(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 0x7fffffff });
}

function isValid(task: Task, p: Record<string, number>): boolean {
  try {
    task.resolveParams(p);
    return true;
  } catch {
    return false;
  }
}

/** Valid, resolved, small params of `task`. */
export function taskParams(task: Task): fc.Arbitrary<Record<string, number>> {
  const fields: Record<string, fc.Arbitrary<number>> = {};
  for (const [name, s] of Object.entries(task.params)) {
    fields[name] = s.choices
      ? fc.integer({ min: 0, max: s.choices.length - 1 })
      : s.integer
      ? fc.integer({ min: s.min, max: Math.min(s.max, Math.max(s.min, 2 * s.default + 1)) })
      : fc.double({ min: s.min, max: Math.min(s.max, Math.max(s.min, 2 * s.default)), noNaN: true, noDefaultInfinity: true });
  }
  return fc
    .record(fields)
    .filter((p) => isValid(task, p))
    .map((p) => task.resolveParams(p));
}

/** A built-in task together with valid params for it. */
export function taskAndParams(): fc.Arbitrary<{ task: Task; params: Record<string, number> }> {
  return fc.constantFrom(...listTasks()).chain((task) => taskParams(task).map((params) => ({ task, params })));
}

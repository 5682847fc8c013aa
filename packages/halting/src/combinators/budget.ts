/**
 * `budget(policy, targetMeanDepth, measure)`: calibrate a policy's calibration knob
 * by bisection so that the mean depth reported by `measure(policy)` hits the
 * target. Sets the knob to the best value found and returns
 * `{ value, achieved, converged }` (achieved = the mean depth measured at `value`).
 * When the target is not reached within tolerance (out of the knob's reach, or not
 * within the measurement budget) the result has `converged: false` and a
 * `warning`, which is also passed to `onWarning` (default `console.warn`).
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { HaltingPolicy } from '../spec.js';

export interface BudgetOptions {
  /** Maximum number of measurements (default 30). */
  readonly iterations?: number;
  /** Converged once |mean - target| <= tolerance * target (default 0.005). */
  readonly tolerance?: number;
  /** Called with the warning when the target is not reached (default `console.warn`). */
  readonly onWarning?: (message: string) => void;
}

export interface BudgetResult {
  /** The knob value the policy is left at (the best one measured). */
  readonly value: number;
  /** The mean depth `measure` returned at `value`. */
  readonly achieved: number;
  /** True when `achieved` is within `tolerance` of the target. */
  readonly converged: boolean;
  /** Why the target was not reached; present only when `converged` is false. */
  readonly warning?: string;
}

/**
 * Calibrate `policy`'s calibration knob by bisection until `measure(policy)` (a mean
 * exit depth) is within tolerance of `targetMeanDepth`; leaves the knob at the best
 * value measured and reports it (see the module comment).
 */
export async function budget(
  policy: HaltingPolicy,
  targetMeanDepth: number,
  measure: (policy: HaltingPolicy) => number | Promise<number>,
  options: BudgetOptions = {},
): Promise<BudgetResult> {
  const knob = policy.calibration;
  if (!knob) throw new AniraInputError(`budget: policy "${policy.name}" has no calibration knob`);
  if (!(targetMeanDepth > 0) || !Number.isFinite(targetMeanDepth)) {
    throw new AniraInputError(`budget: "targetMeanDepth" must be a finite number > 0, got ${targetMeanDepth}`);
  }
  const iterations = options.iterations ?? 30;
  const tolerance = options.tolerance ?? 0.005;
  if (!Number.isInteger(iterations) || iterations < 1) throw new AniraInputError(`budget: "iterations" must be an integer >= 1, got ${iterations}`);
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new AniraInputError(`budget: "tolerance" must be a finite number >= 0, got ${tolerance}`);
  const onWarning = options.onWarning ?? ((m: string) => console.warn(m));
  let [lo, hi] = knob.range;
  let best = knob.get();
  let achieved = NaN;
  let bestErr = Infinity;
  const measured: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const mid = (lo + hi) / 2;
    knob.set(mid);
    const mean = await measure(policy);
    if (!Number.isFinite(mean)) throw new AniraInputError(`budget: measure() must return a finite number, got ${mean}`);
    measured.push(mean);
    const err = Math.abs(mean - targetMeanDepth);
    if (err < bestErr) { bestErr = err; best = knob.get(); achieved = mean; }
    if (err <= tolerance * targetMeanDepth) break;
    const tooDeep = mean > targetMeanDepth;
    // Move the knob towards less depth when too deep, more depth otherwise.
    if (tooDeep === knob.increasesDepth) hi = mid;
    else lo = mid;
  }
  knob.set(best);
  const converged = bestErr <= tolerance * targetMeanDepth;
  if (converged) return { value: best, achieved, converged };
  const lowest = Math.min(...measured), highest = Math.max(...measured);
  const reason = targetMeanDepth > highest || targetMeanDepth < lowest
    ? `out of reach (measured mean depths ${fmt(lowest)} to ${fmt(highest)} over ${knob.name} in [${knob.range[0]}, ${knob.range[1]}])`
    : `not reached within tolerance ${tolerance} in ${measured.length} measurements`;
  const warning = `budget: target mean depth ${targetMeanDepth} for "${policy.name}" is ${reason}; ${knob.name} = ${fmt(best)} gives ${fmt(achieved)}`;
  onWarning(warning);
  return { value: best, achieved, converged, warning };
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));

/**
 * `budget(policy, targetMeanDepth, measure)`: calibrate a policy's calibration knob
 * by bisection so that the mean depth reported by `measure(policy)` hits the
 * target. Sets the knob to the best value found and returns it.
 */
import type { HaltingPolicy } from '../spec.js';

export interface BudgetOptions {
  /** Maximum number of measurements (default 30). */
  readonly iterations?: number;
  /** Stop once |mean - target| <= tolerance * target (default 0.005). */
  readonly tolerance?: number;
}

export async function budget(
  policy: HaltingPolicy,
  targetMeanDepth: number,
  measure: (policy: HaltingPolicy) => number | Promise<number>,
  options: BudgetOptions = {},
): Promise<number> {
  const knob = policy.calibration;
  if (!knob) throw new Error(`budget: policy "${policy.name}" has no calibration knob`);
  if (!(targetMeanDepth > 0) || !Number.isFinite(targetMeanDepth)) {
    throw new Error(`budget: "targetMeanDepth" must be a finite number > 0, got ${targetMeanDepth}`);
  }
  const iterations = options.iterations ?? 30;
  const tolerance = options.tolerance ?? 0.005;
  let [lo, hi] = knob.range;
  let best = knob.get();
  let bestErr = Infinity;
  for (let i = 0; i < iterations; i++) {
    const mid = (lo + hi) / 2;
    knob.set(mid);
    const mean = await measure(policy);
    if (!Number.isFinite(mean)) throw new Error(`budget: measure() must return a finite number, got ${mean}`);
    const err = Math.abs(mean - targetMeanDepth);
    if (err < bestErr) { bestErr = err; best = knob.get(); }
    if (err <= tolerance * targetMeanDepth) break;
    const tooDeep = mean > targetMeanDepth;
    // Move the knob towards less depth when too deep, more depth otherwise.
    if (tooDeep === knob.increasesDepth) hi = mid;
    else lo = mid;
  }
  knob.set(best);
  return best;
}

/**
 * Training schedules: the learning rate (linear warmup then cosine decay to
 * `lr * minLrRatio`, over the run's `steps`, so it fits whatever budget is set) and the
 * halting phase (a warm start at full depth, then the halting penalty ramped up from 0).
 */

/** Learning rate for update `step` (0-based) of `total`. */
export function learningRate(step: number, total: number, lr: number, warmup: number, minLrRatio: number): number {
  if (warmup > 0 && step < warmup) return (lr * (step + 1)) / warmup;
  const span = Math.max(1, total - warmup);
  const progress = Math.min(1, (step - warmup) / span);
  const min = lr * minLrRatio;
  return min + 0.5 * (lr - min) * (1 + Math.cos(Math.PI * progress));
}

/** How the halting decision is trained at one update. */
export interface HaltingPhase {
  /** Train every token at full depth (exit weights one-hot at T_max); the halting head learns nothing yet. */
  readonly fullDepth: boolean;
  /** Factor on the policy's own loss (its compute penalty): 0 during the warm start, then ramped linearly to 1. */
  readonly penaltyScale: number;
}

/**
 * The halting phase of update `step` (0-based): updates [0, warmStart) train at full
 * depth with no penalty; the next `ramp` updates use the policy's exit weights with the
 * penalty scaled (k + 1) / ramp at the k-th of them; afterwards the penalty is whole.
 */
export function haltingPhase(step: number, warmStart: number, ramp: number): HaltingPhase {
  if (step < warmStart) return { fullDepth: true, penaltyScale: 0 };
  const k = step - warmStart;
  return { fullDepth: false, penaltyScale: ramp > 0 && k < ramp ? (k + 1) / ramp : 1 };
}

/** The plain phase (no warm start, whole penalty): what every update uses by default. */
export const FULL_PHASE: HaltingPhase = { fullDepth: false, penaltyScale: 1 };

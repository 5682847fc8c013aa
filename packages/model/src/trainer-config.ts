/** Trainer configuration with a documented default for every field. */
import { AniraInputError } from '@anira/tasks/errors';

export interface TrainerConfig {
  /** Total optimizer updates. Default 1000. */
  readonly steps: number;
  /** Examples per update. Default 32. */
  readonly batchSize: number;
  /** Peak learning rate. Default 3e-3. */
  readonly lr: number;
  /** Linear warmup updates. Default 50. */
  readonly warmupSteps: number;
  /** Final learning rate as a fraction of `lr` (cosine decay). Default 0.1. */
  readonly minLrRatio: number;
  /** Global-norm gradient clip. Default 1. */
  readonly clipNorm: number;
  /** Adam betas and epsilon. Defaults 0.9, 0.98, 1e-8. */
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Decoupled weight decay. Default 0. */
  readonly weightDecay: number;
  /** Evaluate on the held-out set every N updates (0 = only at the end). Default 100. */
  readonly evalEvery: number;
  /** Stop early once held-out token accuracy reaches this (omit to never stop early). */
  readonly targetAccuracy?: number;
  /**
   * Early stopping: stop after this many held-out evaluations in a row without an
   * improvement of token accuracy by more than `minDelta` (omit to never stop early).
   */
  readonly patience?: number;
  /** Smallest accuracy gain that counts as an improvement for `patience` and the best checkpoint. Default 0. */
  readonly minDelta: number;
  /** Seed of the data stream and of the policy's per-step sampling. Default 0. */
  readonly seed: number;
  /**
   * Warm start: the first N updates train every token at full depth (exit weights on
   * T_max), with no halting penalty. Default 0.
   */
  readonly warmStartSteps: number;
  /** After the warm start, the halting penalty ramps linearly from 0 to whole over N updates. Default 0 (whole at once). */
  readonly penaltyRampSteps: number;
}

const RANGES: Record<string, [number, number, boolean]> = {
  steps: [1, 1e9, true],
  batchSize: [1, 1e6, true],
  lr: [0, 10, false],
  warmupSteps: [0, 1e9, true],
  minLrRatio: [0, 1, false],
  clipNorm: [1e-12, 1e9, false],
  beta1: [0, 0.999999, false],
  beta2: [0, 0.999999, false],
  epsilon: [1e-20, 1, false],
  weightDecay: [0, 1, false],
  evalEvery: [0, 1e9, true],
  targetAccuracy: [0, 1, false],
  patience: [1, 1e9, true],
  minDelta: [0, 1, false],
  seed: [0, 2 ** 31 - 1, true],
  warmStartSteps: [0, 1e9, true],
  penaltyRampSteps: [0, 1e9, true],
};

/** Defaults merged with `overrides`, validated (one-line errors naming the field). */
export function defaultTrainerConfig(overrides: Partial<TrainerConfig> = {}): TrainerConfig {
  const c: TrainerConfig = {
    steps: 1000, batchSize: 32, lr: 3e-3, warmupSteps: 50, minLrRatio: 0.1, clipNorm: 1,
    beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0, evalEvery: 100, minDelta: 0, seed: 0, warmStartSteps: 0, penaltyRampSteps: 0, ...overrides,
  };
  for (const [k, v] of Object.entries(c)) {
    const r = RANGES[k];
    if (!r) throw new AniraInputError(`trainer config: unknown field "${k}"`, { code: 'unknown-name' });
    const [lo, hi, integer] = r;
    if (v === undefined && (k === 'targetAccuracy' || k === 'patience')) continue;
    if (typeof v !== 'number' || !(v >= lo && v <= hi) || (integer && !Number.isInteger(v))) {
      throw new AniraInputError(`trainer config: "${k}" must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${String(v)}`);
    }
  }
  return c;
}

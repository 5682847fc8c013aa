/**
 * Typed errors of @anira/model that callers act on (the CLI maps them to one line).
 */

/** Training produced a non-finite loss or gradient norm; the update was not kept. */
export class NonFiniteTrainingError extends Error {
  override readonly name = 'NonFiniteTrainingError';
  constructor(
    /** The 1-based update at which the non-finite value appeared. */
    readonly step: number,
    /** Which quantity was non-finite. */
    readonly quantity: 'loss' | 'gradient norm',
    /** The value read (NaN, Infinity or -Infinity). */
    readonly value: number,
    /** The update whose weights are kept (default `step - 1`; earlier when updates are read in intervals and rolled back). */
    readonly keptStep: number = step - 1,
  ) {
    super(`training diverged at update ${step}: ${quantity} is ${String(value)}; ${keptStep === step - 1 ? 'the weights before that update are kept' : `rolled back to the weights of update ${keptStep}`}`);
  }
}

/** `serializeCheckpoint` found a non-finite weight: the model diverged and is not saved. */
export class NonFiniteWeightError extends Error {
  override readonly name = 'NonFiniteWeightError';
  constructor(
    /** The weight's name, e.g. `model/block/wq`. */
    readonly weight: string,
    /** The value read (NaN, Infinity or -Infinity). */
    readonly value: number,
    /** Its flat index in the weight. */
    readonly index: number,
  ) {
    super(`checkpoint: weight "${weight}" is not finite (${String(value)} at index ${index}); refusing to save a diverged model`);
  }
}

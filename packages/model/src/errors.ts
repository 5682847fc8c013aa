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
  ) {
    super(`training diverged at update ${step}: ${quantity} is ${String(value)}; the weights before that update are kept`);
  }
}

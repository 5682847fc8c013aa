/**
 * Input checks shared by every statistic: equal lengths, finite numbers, a minimum n.
 * One-line errors that name the function, the argument and what was wrong.
 */
import { AniraInputError } from '@anira/tasks/errors';

/** Throws unless `values` are all finite numbers. */
export function assertFinite(fn: string, arg: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new AniraInputError(`${fn}: ${arg}[${i}] must be a finite number, got ${String(v)}`);
  }
}

/** Throws unless x and y are finite, of equal length, with at least `minN` pairs. */
export function assertPairs(fn: string, x: ArrayLike<number>, y: ArrayLike<number>, minN = 3): void {
  if (x.length !== y.length) throw new AniraInputError(`${fn}: x and y must have the same length, got ${x.length} and ${y.length}`);
  if (x.length < minN) throw new AniraInputError(`${fn}: need at least ${minN} pairs, got ${x.length}`, { code: 'insufficient-data' });
  assertFinite(fn, 'x', x);
  assertFinite(fn, 'y', y);
}

/** True when every value equals the first (zero variance). */
export function isConstant(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/**
 * Disjoint data sets by canonical input: the training stream, the selection set (best
 * checkpoint, early stopping) and the analysis set (traces, reported accuracy) must
 * share no input sequence, since seed streams are disjoint but inputs repeat (every
 * 1-digit sum, every 4-node graph). `inputKey` is an example's canonical key: its input
 * token ids, exactly (no hash collisions). `excludingStream` redraws any example whose
 * key is excluded, deterministically per index, so a resumed run sees the same data.
 */
import type { Example } from './example.js';
import { AniraInputError } from './errors.js';

/** The canonical key of an example's input sequence: its token ids joined (exact). */
export const inputKey = (ex: Pick<Example, 'input'>): string => ex.input.join(',');

/** Redraws tried per index before `excludingStream` gives up. */
export const MAX_REDRAWS = 1000;

/**
 * Example `index` of a stream whose draws are `draw(index, attempt)`: the first attempt
 * (0, 1, 2, ...) whose input key is not in `exclude`. Throws a one-line error naming
 * `what` when `MAX_REDRAWS` attempts all fall in `exclude` (the input space is too small
 * for the held-out sets: raise the size or lower their example counts).
 */
export function excludingStream(
  draw: (index: number, attempt: number) => Example,
  exclude: ReadonlySet<string>,
  what = 'training stream',
): (index: number) => Example {
  return (index) => {
    for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
      const ex = draw(index, attempt);
      if (!exclude.has(inputKey(ex))) return ex;
    }
    throw new AniraInputError(`${what}: example ${index}: ${MAX_REDRAWS} draws in a row were inputs of the held-out sets; the input space is too small for them (raise the size, or lower eval.examples / eval.heldOut)`);
  };
}

/** How many of `examples` have an input key in `keys`. */
export function countOverlap(examples: Iterable<Pick<Example, 'input'>>, keys: ReadonlySet<string>): number {
  let n = 0;
  for (const ex of examples) if (keys.has(inputKey(ex))) n++;
  return n;
}

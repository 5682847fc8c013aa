/**
 * Checked access for invariants the types cannot carry (an index known to be in
 * range, a key known to be present). Each returns the value, or throws an error that
 * names what was missing. Such an error is a bug in the library, never the caller's
 * input, so it is a plain `Error`, not an `AniraInputError`. Use them where a loop
 * over values (`for...of`, `entries()`) does not fit.
 */

/** `xs[i]`, or throws naming the index and the length when `i` is not an index of `xs`. */
export function at<T>(xs: ArrayLike<T>, i: number): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`invariant: index ${i} out of range for length ${xs.length}`);
  return v;
}

/** `value`, or throws naming `what` when it is `undefined` (a `Map.get` of a key known to be present, a `pop()` of a non-empty stack). */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`invariant: ${what} is missing`);
  return value;
}

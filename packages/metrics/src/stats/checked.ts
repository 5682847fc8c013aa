/**
 * Checked reads for the statistics kernels, where an index is an invariant the types
 * cannot carry: each returns the element, or throws naming the index and the length
 * (a bug here, never the caller's input). One function per array type on purpose: the
 * kernels call them in their inner loops, and a read that only ever sees one typed
 * array stays monomorphic in V8 (as fast as `a[i]`); one generic accessor shared by
 * number[], typed arrays and object arrays would not be.
 */

const outOfRange = (i: number, n: number): Error => new Error(`invariant: index ${i} out of range for length ${n}`);

/** `a[i]` of a Float64Array, checked. */
export function f64(a: Float64Array, i: number): number {
  const v = a[i];
  if (v === undefined) throw outOfRange(i, a.length);
  return v;
}

/** `a[i]` of an Int32Array, checked. */
export function i32(a: Int32Array, i: number): number {
  const v = a[i];
  if (v === undefined) throw outOfRange(i, a.length);
  return v;
}

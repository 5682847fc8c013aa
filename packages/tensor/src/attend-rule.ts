/**
 * The one rule of who may attend to whom, on the host. Query position `query` of a
 * row may attend key position `key` when the key is a real token (`mask > 0`) and, in
 * causal attention, `key <= query`. `attentionBias` builds this rule as a tensor; the
 * model's packed query slots and its FLOP counts read it from here.
 */

/** One past the last key position query `query` may attend in a row of `length` (before the mask). */
export function visibleKeyEnd(query: number, length: number, causal: boolean): number {
  return causal ? query + 1 : length;
}

/**
 * Call `fn(key)` for every key position query `query` may attend, in ascending order;
 * the row's real-token mask is `mask[offset .. offset + length)`.
 */
export function forEachVisibleKey(mask: ArrayLike<number>, offset: number, length: number, query: number, causal: boolean, fn: (key: number) => void): void {
  const end = visibleKeyEnd(query, length, causal);
  for (let j = 0; j < end; j++) {
    const m = mask[offset + j];
    if (m === undefined) throw new Error(`invariant: mask has ${mask.length} entries, none at ${offset + j}`);
    if (m > 0) fn(j);
  }
}

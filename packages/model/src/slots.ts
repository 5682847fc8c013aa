/**
 * Index bookkeeping for skipping inference, in plain JS: the active row list, and
 * the packing of each batch row's active queries into S slots (S = the largest
 * active count of any row) with the matching additive attention bias, so that
 * attention over a batch row costs S query rows instead of T.
 */
import { forEachVisibleKey, MASKED_SCORE } from '@anira/tensor';

/** Ascending indices of the nonzero entries of `active` `[B*T]`. */
export function activeRows(active: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < active.length; i++) if (active[i]) count++;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < active.length; i++) if (active[i]) out[k++] = i;
  return out;
}

export interface QuerySlots {
  /** S: slots per batch row. */
  readonly width: number;
  /** `[B*S]`: the compact (active-list) index filling each slot, -1 for an empty slot. */
  readonly source: Int32Array;
  /** `[N]`: the slot `b*S + j` of each active row. */
  readonly slotOf: Int32Array;
  /** `[B*1*S*T]`: 0 where the slot's query may attend key j, MASKED_SCORE elsewhere. */
  readonly bias: Float32Array;
}

/** Pack active rows `idx` (ascending, into `[B*T]`) into per-batch-row query slots. */
export function querySlots(idx: Int32Array, batch: number, length: number, mask: ArrayLike<number>, causal: boolean): QuerySlots {
  const counts = new Int32Array(batch);
  for (const i of idx) counts[Math.floor(i / length)]!++;
  const width = Math.max(1, ...counts);
  const source = new Int32Array(batch * width).fill(-1);
  const slotOf = new Int32Array(idx.length);
  const bias = new Float32Array(batch * width * length).fill(MASKED_SCORE);
  const used = new Int32Array(batch);
  idx.forEach((i, n) => {
    const row = Math.floor(i / length);
    const pos = i - row * length;
    const slot = row * width + used[row]!++;
    source[slot] = n;
    slotOf[n] = slot;
    forEachVisibleKey(mask, row * length, length, pos, causal, (j) => {
      bias[slot * length + j] = 0;
    });
  });
  return { width, source, slotOf, bias };
}

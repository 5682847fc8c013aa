/**
 * Nested expert-choice selection (Mixture-of-Depths / Mixture-of-Recursions),
 * computed on plain arrays (no gradient; the cpu backend has no TopK gradient).
 * After iteration t, the top k_t = ceil(fraction_t * n_b) of the still-eligible
 * tokens of row b continue, where n_b counts the row's real tokens; only tokens
 * selected after t-1 are eligible at t.
 */

/** Capacity fraction continuing after iteration t (1-based). */
export function capacityFraction(schedule: 'geometric' | 'fixed', capacity: number, t: number): number {
  return schedule === 'geometric' ? Math.pow(capacity, t) : capacity;
}

/** Number of tokens of a row with `n` real tokens that continue after iteration t. */
export function capacityCount(n: number, fraction: number): number {
  return Math.min(n, Math.ceil(fraction * n - 1e-9));
}

/**
 * Select the top `k` eligible entries of one row by score (ties: lower index first).
 * Returns a 0/1 array of the row's length.
 */
export function topKRow(scores: ArrayLike<number>, eligible: ArrayLike<number>, k: number): Float32Array {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const e = eligible[i];
    if (e === undefined) throw new Error(`invariant: eligible has ${eligible.length} entries for ${scores.length} scores`);
    if (e > 0.5) idx.push(i);
  }
  idx.sort((a, b) => {
    const sa = scores[a], sb = scores[b];
    if (sa === undefined || sb === undefined) throw new Error(`invariant: score index ${a} or ${b} out of range for length ${scores.length}`);
    return sb - sa || a - b;
  });
  const out = new Float32Array(scores.length);
  const take = Math.min(k, idx.length);
  let j = 0;
  for (const i of idx) {
    if (!(j < take)) break;
    out[i] = 1;
    j++;
  }
  return out;
}

/**
 * Nested selections for scores [B, T, S] (row-major) and mask [B, T]: returns
 * `selected` [B, T, S] with selected[.., t] = 1 if the token continues after t
 * (t = 1..S-1; the last column is 0) and `eligible` [B, T, S] (1 where the token
 * ran iteration t, i.e. was eligible to be selected after it).
 */
export function nestedSelection(
  scores: ArrayLike<number>, mask: ArrayLike<number>, B: number, T: number, S: number,
  schedule: 'geometric' | 'fixed', capacity: number,
): { selected: Float32Array; eligible: Float32Array } {
  const selected = new Float32Array(B * T * S);
  const eligible = new Float32Array(B * T * S);
  for (let b = 0; b < B; b++) {
    let elig: Float32Array = new Float32Array(T);
    let n = 0;
    for (let i = 0; i < T; i++) {
      const m = mask[b * T + i];
      if (m === undefined) throw new Error(`invariant: mask has ${mask.length} entries, fewer than B * T = ${B * T}`);
      const e = m > 0.5 ? 1 : 0;
      elig[i] = e;
      n += e;
    }
    for (let t = 1; t <= S; t++) {
      const row = new Float32Array(T);
      for (let i = 0; i < T; i++) {
        const s = scores[(b * T + i) * S + t - 1], e = elig[i];
        if (s === undefined || e === undefined) throw new Error(`invariant: scores has ${scores.length} entries, fewer than B * T * S = ${B * T * S}`);
        row[i] = s;
        eligible[(b * T + i) * S + t - 1] = e;
      }
      if (t === S) break;
      const sel = topKRow(row, elig, capacityCount(n, capacityFraction(schedule, capacity, t)));
      for (let i = 0; i < T; i++) {
        const v = sel[i];
        if (v === undefined) throw new Error(`invariant: selection of length ${sel.length} for a row of ${T} tokens`);
        selected[(b * T + i) * S + t - 1] = v;
      }
      elig = sel;
    }
  }
  return { selected, eligible };
}

/**
 * Row selection for compute-skipping inference: gather rows `[M, C] -> [N, C]`
 * and scatter updated rows back into a full `[M, C]` tensor. Two implementations
 * with identical results:
 * - 'host': copy whole rows with `TypedArray.set`: on wasm inside the module's
 *   heap (tensor's heap-rows.ts, no round trip through JS), elsewhere through
 *   `dataSync` and a new tensor. On cpu and wasm the data already lives in CPU
 *   memory, and wasm's Gather kernel costs ~40 ns per element (11 ms for 2048 rows
 *   of 128), about 10x this copy;
 * - 'device': `tf.gather` (scatter = gather from `concat([rows, old])`), for GPU
 *   backends, where reading back would stall.
 * Index arrays hold row numbers; -1 means "a zero row". `writeRows` is the scatter
 * for a full tensor its caller owns alone: on wasm the rows are written into it in
 * place (no copy of the other M - N rows, no new tensor); elsewhere, or where the
 * data is shared, it is `scatterRows`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities, heapCopyRows, heapGatherRows, heapScatterRows, heapWriteRows } from '@anira/tensor';

export type RowMode = 'host' | 'device';

/** 'host' on CPU-memory backends (cpu, wasm), 'device' elsewhere. */
export function defaultRowMode(): RowMode {
  return backendCapabilities().rowSelection;
}

/**
 * How inference reads the halting decisions on the active backend: 'each-iteration'
 * where host-side row selection pays (cpu, wasm, tensorflow: the data is in CPU
 * memory and skipped rows save their compute), 'once' on GPU backends (webgpu,
 * webgl), where every read drains the device's queue. The one place this decision
 * is made; it can defer to a backend capability table when the project has one.
 */
export function defaultInferReads(): 'each-iteration' | 'once' {
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm' || b === 'tensorflow' ? 'each-iteration' : 'once';
}

/** `out[i] = x[index[i]]` (zero row where index[i] < 0); x `[M, C]`, result `[index.length, C]`. */
export function gatherRows(x: tf.Tensor2D, index: Int32Array, mode: RowMode): tf.Tensor2D {
  const [m, c] = x.shape;
  if (mode === 'host') {
    const inHeap = heapGatherRows(x, index);
    if (inHeap) return inHeap;
    const src = x.dataSync() as Float32Array;
    const out = new Float32Array(index.length * c);
    for (let i = 0; i < index.length; i++) {
      const r = index[i]!;
      if (r >= 0) out.set(src.subarray(r * c, r * c + c), i * c);
    }
    return tf.tensor2d(out, [index.length, c]);
  }
  return tf.tidy(() => {
    const safe = Int32Array.from(index, (r) => (r < 0 ? m : r)); // row m = the zero row
    return tf.gather(tf.concat([x, tf.zeros([1, c])]), tf.tensor1d(safe, 'int32')) as tf.Tensor2D;
  });
}

/** A copy of `old [M, C]` with row `index[n]` replaced by `rows[n]` (`rows [N, C]`, index ascending, distinct). */
export function scatterRows(rows: tf.Tensor2D, old: tf.Tensor2D, index: Int32Array, mode: RowMode): tf.Tensor2D {
  const [m, c] = old.shape;
  if (mode === 'host') {
    const inHeap = heapScatterRows(rows, old, index);
    if (inHeap) return inHeap;
    const out = new Float32Array(old.dataSync() as Float32Array); // copy
    const src = rows.dataSync() as Float32Array;
    for (let n = 0; n < index.length; n++) out.set(src.subarray(n * c, n * c + c), index[n]! * c);
    return tf.tensor2d(out, [m, c]);
  }
  return tf.tidy(() => {
    const pick = new Int32Array(m);
    for (let i = 0; i < m; i++) pick[i] = rows.shape[0] + i; // old row i sits after the N new rows
    index.forEach((r, n) => { pick[r] = n; });
    return tf.gather(tf.concat([rows, old]), tf.tensor1d(pick, 'int32')) as tf.Tensor2D;
  });
}

/**
 * `old [M, C]` with row `index[n]` replaced by `rows[n]`: written into `old` in place
 * and `old` returned where the backend allows it (host mode on wasm, `old`'s data
 * not shared, see tensor's heapWriteRows), else a new tensor (`scatterRows`). The
 * caller owns `old` alone and checks the identity of the result before disposing.
 */
export function writeRows(rows: tf.Tensor2D, old: tf.Tensor2D, index: Int32Array, mode: RowMode): tf.Tensor2D {
  return mode === 'host' && heapWriteRows(rows, old, index) ? old : scatterRows(rows, old, index, mode);
}

/** Ascending rows of `all` that are not in `drop` (both ascending). */
export function rowsExcept(all: Int32Array, drop: Int32Array): Int32Array {
  const out = new Int32Array(all.length);
  let n = 0;
  let j = 0;
  for (const r of all) {
    while (j < drop.length && (drop[j] ?? 0) < r) j++;
    if (j >= drop.length || drop[j] !== r) out[n++] = r;
  }
  return out.subarray(0, n);
}

/**
 * `scatterRows(rows, old, index)` built in `spare [M, C]` instead of a copy of `old`:
 * `spare` must equal `old` on every row outside `stale` (ascending), and its caller
 * owns it alone (a double-buffered state: `spare` is the state of two iterations
 * ago, `stale` the rows that ran in between). Rows `stale` not in `index` are copied
 * from `old`, rows `index` written from `rows`, in place, and `spare` returned:
 * |stale| rows move instead of M. Elsewhere (device mode, off wasm, `spare`'s data
 * shared) it is `scatterRows`, and `spare` is left as it was.
 */
export function rebuildRows(rows: tf.Tensor2D, old: tf.Tensor2D, index: Int32Array, spare: tf.Tensor2D, stale: Int32Array, mode: RowMode): tf.Tensor2D {
  if (mode === 'host' && heapCopyRows(old, spare, rowsExcept(stale, index)) && heapWriteRows(rows, spare, index)) return spare;
  return scatterRows(rows, old, index, mode);
}

/**
 * Row gather and scatter inside tfjs-wasm's heap. A tensor on the wasm backend
 * lives in the module's memory; copying whole rows there, view to view, skips the
 * two copies of a `dataSync` + `tf.tensor2d` round trip (out to JS, back into the
 * heap) and the garbage they leave. The output is allocated first and the heap
 * views taken after it, because an allocation can grow the heap and detach older
 * views. Off wasm (or on a wasm build without these internals) both return
 * undefined and the caller copies through JS.
 *
 * `heapWriteRows` writes rows into an existing tensor's memory, in place. tfjs
 * tensors are immutable by contract, so it does so only where no other tensor can
 * see the change: the backend's reference count of the tensor's data must be 1
 * (a reshape, a clone or a kept view of the same data raises it). The caller must
 * own the tensor alone, as inference's K/V cache and logits do.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The two `BackendWasm` methods used, typed narrowly. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  refCount(dataId: tf.DataId): number;
}

function wasmHeap(): WasmHeapBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as Partial<WasmHeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function' && typeof b.refCount === 'function' ? (b as WasmHeapBackend) : undefined;
}

/** A new `[rows, c]` float32 tensor filled by `fill(out)`, a view of its heap memory. */
function heapTensor(b: WasmHeapBackend, rows: number, c: number, fill: (out: Float32Array) => void): tf.Tensor2D {
  const info = b.makeOutput([rows, c], 'float32');
  fill(b.typedArrayFromHeap(info));
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor2D;
}

/** `out[i] = x[index[i]]` (a zero row where `index[i] < 0`); x float32 `[M, C]` -> `[index.length, C]`; undefined off wasm. */
export function heapGatherRows(x: tf.Tensor2D, index: Int32Array): tf.Tensor2D | undefined {
  const b = wasmHeap();
  if (!b || x.dtype !== 'float32') return undefined;
  const c = x.shape[1];
  return heapTensor(b, index.length, c, (out) => {
    const src = b.typedArrayFromHeap(x);
    for (let i = 0; i < index.length; i++) {
      const r = index[i]!;
      if (r >= 0) out.set(src.subarray(r * c, r * c + c), i * c);
      else out.fill(0, i * c, i * c + c);
    }
  });
}

/** A copy of `old [M, C]` with row `index[n]` replaced by `rows[n]` (`rows [N, C]`), both float32; undefined off wasm. */
export function heapScatterRows(rows: tf.Tensor2D, old: tf.Tensor2D, index: Int32Array): tf.Tensor2D | undefined {
  const b = wasmHeap();
  if (!b || rows.dtype !== 'float32' || old.dtype !== 'float32') return undefined;
  const [m, c] = old.shape;
  return heapTensor(b, m, c, (out) => {
    out.set(b.typedArrayFromHeap(old));
    const src = b.typedArrayFromHeap(rows);
    for (let n = 0; n < index.length; n++) out.set(src.subarray(n * c, n * c + c), index[n]! * c);
  });
}

/**
 * Row `index[n]` of `target [M, C]` replaced by `rows[n]` (`rows [N, C]`), in place,
 * both float32. Returns false, writing nothing, off wasm or where `target`'s data is
 * shared with another tensor (reference count above 1): then the caller copies.
 */
export function heapWriteRows(rows: tf.Tensor2D, target: tf.Tensor2D, index: Int32Array): boolean {
  const b = wasmHeap();
  if (!b || rows.dtype !== 'float32' || target.dtype !== 'float32' || target.isDisposed || b.refCount(target.dataId) !== 1) return false;
  const c = target.shape[1];
  const out = b.typedArrayFromHeap(target);
  const src = b.typedArrayFromHeap(rows);
  for (let n = 0; n < index.length; n++) out.set(src.subarray(n * c, n * c + c), index[n]! * c);
  return true;
}

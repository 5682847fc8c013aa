/**
 * Row gather and scatter inside tfjs-wasm's heap. A tensor on the wasm backend
 * lives in the module's memory; copying whole rows there, view to view, skips the
 * two copies of a `dataSync` + `tf.tensor2d` round trip (out to JS, back into the
 * heap) and the garbage they leave. The output is allocated first and the heap
 * views taken after it, because an allocation can grow the heap and detach older
 * views. Off wasm (or on a wasm build without these internals) both return
 * undefined and the caller copies through JS.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The two `BackendWasm` methods used, typed narrowly. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

function wasmHeap(): WasmHeapBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as Partial<WasmHeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function' ? (b as WasmHeapBackend) : undefined;
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

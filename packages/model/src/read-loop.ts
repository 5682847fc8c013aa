/**
 * One implementation, two ways to read tensors. Inference, training steps,
 * evaluation and tracing are written once as generators that `yield` the tensors
 * whose values they need next and receive those values back. `runSync` answers
 * with `dataSync()` (Node, cpu/wasm); `runAsync` answers with `await data()`, which
 * never blocks and is the only read that works on tfjs-webgpu with a software
 * adapter (its synchronous read returns zeros there and then loses the device).
 * The generator keeps ownership of the tensors it yields: it disposes them itself.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Values of one read tensor (`dataSync()` / `data()` of a numeric tensor). */
export type ReadValues = Float32Array | Int32Array | Uint8Array;

/** A computation that asks for tensor values and finally returns `R`. */
export type ReadLoop<R> = Generator<readonly tf.Tensor[], R, readonly ReadValues[]>;

/** Drive `loop` reading each request with `dataSync()`. */
export function runSync<R>(loop: ReadLoop<R>): R {
  let next = loop.next([]);
  while (!next.done) {
    let values: ReadValues[];
    try {
      values = next.value.map((t) => t.dataSync() as ReadValues);
    } catch (e) {
      next = loop.throw(e); // the failure surfaces at the generator's `yield`
      continue;
    }
    next = loop.next(values);
  }
  return next.value;
}

/** Drive `loop` reading each request with `await data()` (the tensors of one request are read in parallel). */
export async function runAsync<R>(loop: ReadLoop<R>): Promise<R> {
  let next = loop.next([]);
  while (!next.done) {
    let values: ReadValues[];
    try {
      values = await Promise.all(next.value.map((t) => t.data() as Promise<ReadValues>));
    } catch (e) {
      next = loop.throw(e); // the failure surfaces at the generator's `yield`
      continue;
    }
    next = loop.next(values);
  }
  return next.value;
}

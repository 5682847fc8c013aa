/** Row copies in the wasm heap: hand-computed rows, the fallback signal off wasm, heap growth, no leaks. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heapCopyRows, heapGatherRows, heapScatterRows, heapWriteRows } from './heap-rows.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('heap row copies (wasm)', () => {
  it('gather and scatter give hand-computed rows and leave no tensor behind', () => {
    const n0 = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
      const g = heapGatherRows(x, Int32Array.from([2, -1, 0, 2]))!;
      expect(g.shape).toEqual([4, 2]);
      expect(Array.from(g.dataSync())).toEqual([5, 6, 0, 0, 1, 2, 5, 6]);
      const s = heapScatterRows(tf.tensor2d([[-1, -2], [-3, -4]]), x, Int32Array.from([1, 3]))!;
      expect(Array.from(s.dataSync())).toEqual([1, 2, -1, -2, 5, 6, -3, -4]);
      expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // the input is untouched
    });
    expect(tf.memory().numTensors).toBe(n0);
  });

  it('writes rows in place only into data no other tensor shares', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      expect(heapWriteRows(tf.tensor2d([[-1, -2]]), x, Int32Array.from([2]))).toBe(true);
      expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4, -1, -2]);
      const view = tf.reshape(x, [6]); // shares x's data: a write would change it too
      expect(heapWriteRows(tf.tensor2d([[9, 9]]), x, Int32Array.from([0]))).toBe(false);
      expect(Array.from(view.dataSync())).toEqual([1, 2, 3, 4, -1, -2]);
      view.dispose();
      expect(heapWriteRows(tf.tensor2d([[7, 8]]), x, Int32Array.from([0]))).toBe(true);
      expect(Array.from(x.dataSync())).toEqual([7, 8, 3, 4, -1, -2]);
      const disposed = tf.tensor2d([[0, 0]]);
      disposed.dispose();
      expect(heapWriteRows(tf.tensor2d([[1, 1]]), disposed, Int32Array.from([0]))).toBe(false);
    });
  });

  it('gather, scatter and write equal a plain JS oracle on indices with runs, breaks, zero rows and repeats', () => {
    const [m, c] = [40, 3];
    const data = Float32Array.from({ length: m * c }, (_, i) => i + 0.5);
    const row = (src: Float32Array, r: number) => Array.from(src.subarray(r * c, r * c + c));
    const gathers = [
      [0, 1, 2, 3, 7, 8, 9, 39], [5, 6, -1, -1, 7, 8, 8, 9], [39, 38, 37, 0], [-1], Array.from({ length: 40 }, (_, i) => i),
    ];
    const scatters = [[0, 1, 2, 10, 11, 39], [3], [4, 5, 6, 7, 8, 9, 20, 22, 23]];
    tf.tidy(() => {
      const x = tf.tensor2d(data, [m, c]);
      for (const g of gathers) {
        const got = heapGatherRows(x, Int32Array.from(g))!.dataSync() as Float32Array;
        g.forEach((r, i) => expect(row(got, i)).toEqual(r < 0 ? [0, 0, 0] : row(data, r)));
      }
      for (const sc of scatters) {
        const rows = tf.tensor2d(Float32Array.from({ length: sc.length * c }, (_, i) => -1 - i), [sc.length, c]);
        const want = Float32Array.from(data);
        sc.forEach((r, n) => want.set(rows.dataSync().subarray(n * c, n * c + c), r * c));
        expect(Array.from(heapScatterRows(rows, x, Int32Array.from(sc))!.dataSync())).toEqual(Array.from(want));
        const target = tf.add(x, 0) as tf.Tensor2D; // a copy with its own data
        expect(heapWriteRows(rows, target, Int32Array.from(sc))).toBe(true);
        expect(Array.from(target.dataSync())).toEqual(Array.from(want));
      }
      expect(Array.from(x.dataSync())).toEqual(Array.from(data));
    });
  });

  it('stays right when its own allocation grows the heap (older views detach)', () => {
    tf.tidy(() => {
      const c = 1024;
      const x = tf.tensor2d(Float32Array.from({ length: 4 * c }, (_, i) => i), [4, c]);
      // 16,384 rows of 4 KiB: 64 MiB, more than the heap holds before
      const index = Int32Array.from({ length: 16_384 }, (_, i) => (i % 5 === 4 ? -1 : i % 4));
      const g = heapGatherRows(x, index)!;
      const d = g.dataSync();
      for (const i of [0, 3, 4, 9, 16_383]) {
        const r = index[i]!;
        expect(d[i * c + 7]).toBe(r < 0 ? 0 : r * c + 7);
      }
    });
  });

  it('copies the listed rows between same-shaped tensors in place, only into unshared data', () => {
    tf.tidy(() => {
      const src = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
      const target = tf.tensor2d([[0, 0], [0, 0], [0, 0], [0, 0]]);
      expect(heapCopyRows(src, target, Int32Array.from([0, 2, 3]))).toBe(true); // a run (2, 3) and a lone row
      expect(Array.from(target.dataSync())).toEqual([1, 2, 0, 0, 5, 6, 7, 8]);
      expect(Array.from(src.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const view = tf.reshape(target, [8]);
      expect(heapCopyRows(src, target, Int32Array.from([1]))).toBe(false);
      expect(Array.from(view.dataSync())).toEqual([1, 2, 0, 0, 5, 6, 7, 8]);
      expect(heapCopyRows(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 0], [0, 0]]), Int32Array.from([0]))).toBe(false); // shapes differ
    });
  });

  it('returns undefined off wasm and for non-float tensors (the caller copies through JS)', async () => {
    expect(heapGatherRows(tf.tensor2d([[1, 2]], [1, 2], 'int32'), Int32Array.from([0]))).toBeUndefined();
    await tf.setBackend('cpu');
    expect(heapGatherRows(tf.tensor2d([[1, 2]]), Int32Array.from([0]))).toBeUndefined();
    expect(heapScatterRows(tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4]]), Int32Array.from([0]))).toBeUndefined();
    expect(heapWriteRows(tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4]]), Int32Array.from([0]))).toBe(false);
    expect(heapCopyRows(tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4]]), Int32Array.from([0]))).toBe(false);
    await tf.setBackend('wasm');
  });
});

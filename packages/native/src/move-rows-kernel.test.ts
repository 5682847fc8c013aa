/**
 * The heap row-move host kernel: @anira/tensor's heap row gathers, scatters, writes
 * and copies give the same rows with it as with their copyWithin fallback (the same
 * functions with the kernel unregistered) on indices with runs, breaks, zero rows
 * and repeats; the kernel really runs; bad ranges and indices are refused before
 * any row moves.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { FUSED_KERNELS, heapCopyRows, heapGatherRows, heapScatterRows, heapWriteRows } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAddon } from './addon.js';
import { disableNativeKernels, enableNativeKernels } from './enable.js';
import { MOVE_ROWS_KERNEL_NAME } from './move-rows-kernel.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

const [M, C] = [40, 3];
const data = Float32Array.from({ length: M * C }, (_, i) => i + 0.5);
const GATHERS = [[0, 1, 2, 3, 7, 8, 9, 39], [5, 6, -1, -1, 7, 8, 8, 9], [39, 38, 37, 0], [-1], Array.from({ length: 40 }, (_, i) => i)];
const SCATTERS = [[0, 1, 2, 10, 11, 39], [3], [4, 5, 6, 7, 8, 9, 20, 22, 23]];

/** Every result of the four heap functions on the cases above, as plain arrays. */
function results(): number[][] {
  return tf.tidy(() => {
    const out: number[][] = [];
    const x = tf.tensor2d(data, [M, C]);
    for (const g of GATHERS) out.push(Array.from(heapGatherRows(x, Int32Array.from(g))!.dataSync()));
    for (const sc of SCATTERS) {
      const rows = tf.tensor2d(Float32Array.from({ length: sc.length * C }, (_, i) => -1 - i), [sc.length, C]);
      out.push(Array.from(heapScatterRows(rows, x, Int32Array.from(sc))!.dataSync()));
      const target = tf.add(x, 0) as tf.Tensor2D;
      expect(heapWriteRows(rows, target, Int32Array.from(sc))).toBe(true);
      out.push(Array.from(target.dataSync()));
      const other = tf.fill([M, C], 7) as tf.Tensor2D;
      expect(heapCopyRows(x, other, Int32Array.from(sc))).toBe(true);
      out.push(Array.from(other.dataSync()));
    }
    out.push(Array.from(x.dataSync())); // the source is untouched
    return out;
  });
}

describe('AniraHeapMoveRows (native)', () => {
  it('is registered under the name tensor looks up', () => {
    expect(MOVE_ROWS_KERNEL_NAME).toBe(FUSED_KERNELS.heapMoveRows);
    expect(enableNativeKernels({ quiet: true }).kernels).toContain(MOVE_ROWS_KERNEL_NAME);
  });

  it('gives the copyWithin fallback’s rows, and really runs', () => {
    enableNativeKernels({ quiet: true });
    const kernel = tf.getKernel(MOVE_ROWS_KERNEL_NAME, 'wasm')!;
    let calls = 0;
    tf.unregisterKernel(MOVE_ROWS_KERNEL_NAME, 'wasm');
    tf.registerKernel({ ...kernel, kernelFunc: (args) => { calls++; return kernel.kernelFunc(args); } });
    const withKernel = results();
    expect(calls).toBe(GATHERS.length + 3 * SCATTERS.length);
    tf.unregisterKernel(MOVE_ROWS_KERNEL_NAME, 'wasm');
    const fallback = results();
    expect(withKernel).toEqual(fallback);
    tf.registerKernel(kernel);
  });

  it('refuses ranges outside the heap and indices outside the rows, moving nothing', () => {
    const loaded = loadAddon();
    if ('error' in loaded) throw new Error(loaded.error);
    const heap = new ArrayBuffer(64);
    const f = new Float32Array(heap).fill(1);
    const move = (dst: number, dstRows: number, n: number, di: number[] | null, si: number[] | null) =>
      loaded.addon.moveRows(heap, dst, dstRows, 32, 2, 4, n, di && Int32Array.from(di), si && Int32Array.from(si));
    expect(() => move(40, 2, 1, null, null)).toThrow(/outside the heap/); // dst [2, 4] at byte 40 ends at 72 > 64
    expect(() => move(0, 2, 1, [2], null)).toThrow(/destination row lies outside \[0, dstRows\)/);
    expect(() => move(0, 2, 2, [0, 1], [0, 2])).toThrow(/source row lies outside \[0, srcRows\)/);
    expect(() => move(0, 2, 3, null, null)).toThrow(/destination row/);
    expect(() => move(0, 2, 2, [0], null)).toThrow(TypeError); // an index shorter than n
    expect(Array.from(f)).toEqual(new Array(16).fill(1));
    move(0, 2, 2, [1, 0], [-1, 1]); // row 1 of dst = zero row, row 0 of dst = src row 1
    expect(Array.from(f.subarray(0, 8))).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });
});

/**
 * Row moves in the wasm heap (csrc/move-rows.c) under the name and contract that
 * `@anira/tensor`'s heap-rows.ts looks up (its fused-kernels.ts,
 * `FUSED_KERNELS.heapMoveRows`). A host kernel: the caller runs its `kernelFunc`
 * directly, never through the engine, because it writes rows into tensors that
 * already exist (skipping inference's gathers, scatters and in-place row writes).
 * One call moves every row, where the JS fallback pays a `copyWithin` per run of
 * consecutive rows.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, wasmOf } from './row-kernels.js';
import { heapBuffer } from './wasm-heap.js';

/** The kernel name of @anira/tensor's FUSED_KERNELS.heapMoveRows. */
export const MOVE_ROWS_KERNEL_NAME = 'AniraHeapMoveRows';

/** Attributes of one move: byte offsets and row counts of dst and src, row width, count, optional row indices. */
export interface MoveRowsAttrs {
  readonly dstOffset: number;
  readonly dstRows: number;
  readonly srcOffset: number;
  readonly srcRows: number;
  readonly width: number;
  readonly count: number;
  readonly dstIndex: Int32Array | null;
  readonly srcIndex: Int32Array | null;
}

/** `AniraHeapMoveRows`: no inputs, attrs `MoveRowsAttrs`; moves the rows in place and returns no tensor. */
export function moveRowsKernel(addon: NativeAddon): KernelConfig {
  const name = MOVE_ROWS_KERNEL_NAME;
  return mark(name, (args) => {
    const a = args.attrs as unknown as MoveRowsAttrs;
    const b = wasmOf(args, name);
    addon.moveRows(heapBuffer(b), a.dstOffset, a.dstRows, a.srcOffset, a.srcRows, a.width, a.count, a.dstIndex, a.srcIndex);
    return [];
  });
}

/**
 * The few internals of tfjs-backend-wasm's `BackendWasm` the kernels use, typed
 * narrowly: each tensor lives at `dataIdMap.get(dataId).memoryOffset` in the
 * module's heap, and `makeOutput` allocates a new tensor there. Allocation can
 * grow the heap, which detaches the old `ArrayBuffer`, so the heap is read only
 * after the last allocation of a kernel call.
 */
import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmBackendLike {
  readonly wasm: { readonly HEAPU8: Uint8Array };
  readonly dataIdMap: { get(dataId: DataId): { readonly memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** Is `backend` a wasm backend with the fields the kernels use? */
export function isWasmBackend(backend: unknown): backend is WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  return b != null && b.wasm?.HEAPU8 instanceof Uint8Array && typeof b.makeOutput === 'function' && b.dataIdMap != null;
}

/** Byte offset of a tensor in the heap; throws for a tensor without wasm memory. */
export function offsetOf(backend: WasmBackendLike, t: TensorInfo): number {
  const off = backend.dataIdMap.get(t.dataId)?.memoryOffset;
  if (off == null) throw new Error(`@anira/native: tensor of shape [${t.shape.join(', ')}] has no wasm memory`);
  return off;
}

/** The heap's current buffer (re-read after every allocation: growth detaches the old one). */
export function heapBuffer(backend: WasmBackendLike): ArrayBufferLike {
  return backend.wasm.HEAPU8.buffer;
}

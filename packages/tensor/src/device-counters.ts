/**
 * Device work counters: how many GPU programs a backend dispatched, how many GPU
 * buffers it created and how many device→host reads it served, so tests and the
 * bench can check the per-update and per-call cost of a backend without timing it.
 *
 * Counting wraps methods of the backend INSTANCE (never the class, never a
 * kernel), once per instance, and keeps running totals:
 * - reads on webgpu: outermost calls of the backend's `read` / `readSync` of data
 *   not already cached on the CPU, which is every device→host copy, including
 *   those a kernel makes internally;
 * - reads elsewhere (cpu, wasm...): calls of the engine's `read` / `readSync`, i.e.
 *   the reads a program asks for (`data()`, `dataSync()`, `array()`,
 *   `arraySync()`); kernels of CPU-memory backends read their inputs in place,
 *   which is free and not counted. A read that calls the other one internally
 *   (wasm's `read` calls `readSync`) counts once.
 * - programs (webgpu only): `recordAndSubmit` calls of tfjs-backend-webgpu, one per
 *   compute dispatch recorded into the command encoder.
 * - buffers (webgpu only): `device.createBuffer` calls (new GPU allocations; the
 *   backend's buffer pool reuses freed buffers without calling it).
 * Other backends report 0 programs and 0 buffers.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Running totals (or differences of totals) of device work. */
export interface DeviceCounts {
  /** GPU compute dispatches (webgpu; 0 elsewhere). */
  readonly programs: number;
  /** GPU buffers created (webgpu; 0 elsewhere). */
  readonly buffers: number;
  /** Device→host reads (`read` / `readSync`, outermost calls). */
  readonly reads: number;
}

interface Totals {
  programs: number;
  buffers: number;
  reads: number;
  /** Depth of read calls in progress (nested reads are not counted). */
  readDepth: number;
  /** A GPU backend (webgpu): reads are counted at the backend. */
  readonly gpu: boolean;
}

type AnyFn = (...args: unknown[]) => unknown;
type Patchable = Record<string, unknown>;

const totalsByBackend = new WeakMap<object, Totals>();

function wrap(target: Patchable, method: string, around: (original: AnyFn) => AnyFn): boolean {
  const original = target[method];
  if (typeof original !== 'function') return false;
  const bound = (original as AnyFn).bind(target);
  Object.defineProperty(target, method, { value: around(bound), configurable: true, writable: true });
  return true;
}

/** `onDevice(dataId)`: whether a read of it copies from the device (webgpu: its values are not cached on the CPU yet). */
function countReads(totals: Totals, onDevice: (dataId: unknown) => boolean): (original: AnyFn) => AnyFn {
  return (original) =>
    (...args) => {
      if (totals.readDepth === 0 && onDevice(args[0])) totals.reads++;
      totals.readDepth++;
      try {
        return original(...args); // the synchronous part (where nested reads happen) runs here
      } finally {
        totals.readDepth--;
      }
    };
}

/** The engine's reads, counted for the backend in use when the engine is not webgpu's (see the module comment). */
const engineReads = { depth: 0 };
let engineWrapped = false;

function countEngineReads(): void {
  if (engineWrapped) return;
  engineWrapped = true;
  const engine = tf.engine() as unknown as Patchable & { backendInstance?: object };
  const around = (original: AnyFn) => (...args: unknown[]) => {
    const totals = engine.backendInstance ? totalsByBackend.get(engine.backendInstance) : undefined;
    if (totals && !totals.gpu && engineReads.depth === 0) totals.reads++;
    engineReads.depth++;
    try {
      return original(...args);
    } finally {
      engineReads.depth--;
    }
  };
  wrap(engine, 'read', around);
  wrap(engine, 'readSync', around);
}

function instrument(backend: object): Totals {
  const b = backend as Patchable;
  const gpu = typeof b['recordAndSubmit'] === 'function';
  const totals: Totals = { programs: 0, buffers: 0, reads: 0, readDepth: 0, gpu };
  if (gpu) {
    // tfjs-webgpu keeps CPU-made small tensors' values on the CPU (kernels such as Tile then read them in place)
    const map = b['tensorMap'] as { get(id: unknown): { values?: unknown } | undefined } | undefined;
    const onDevice = (id: unknown) => map?.get(id)?.values == null;
    wrap(b, 'read', countReads(totals, onDevice));
    wrap(b, 'readSync', countReads(totals, onDevice));
  } else {
    countEngineReads();
  }
  wrap(b, 'recordAndSubmit', (original) => (...args) => {
    totals.programs++;
    return original(...args);
  });
  const device = b['device'];
  if (device !== null && typeof device === 'object') {
    wrap(device as Patchable, 'createBuffer', (original) => (...args) => {
      totals.buffers++;
      return original(...args);
    });
  }
  return totals;
}

/** The tfjs backend instance for `name` (default: the active one). */
function backendInstance(name?: string): object {
  return name === undefined ? tf.backend() : tf.engine().findBackend(name);
}

/**
 * Running totals of device work on backend `name` (default: the active backend).
 * The first call for a backend instance starts counting from zero there.
 */
export function deviceCounts(name?: string): DeviceCounts {
  const backend = backendInstance(name);
  if (backend === null || backend === undefined) throw new Error(`deviceCounts: "name" must be a registered, initialised tfjs backend, got ${String(name)}`);
  let totals = totalsByBackend.get(backend);
  if (!totals) {
    totals = instrument(backend);
    totalsByBackend.set(backend, totals);
  }
  return { programs: totals.programs, buffers: totals.buffers, reads: totals.reads };
}

/** `after - before`, field by field. */
export function countsBetween(before: DeviceCounts, after: DeviceCounts): DeviceCounts {
  return { programs: after.programs - before.programs, buffers: after.buffers - before.buffers, reads: after.reads - before.reads };
}

/** Run `fn` (sync or async) on the active backend and return its result with the device work it caused. */
export async function countDeviceWork<T>(fn: () => T | Promise<T>): Promise<{ readonly result: T; readonly counts: DeviceCounts }> {
  const before = deviceCounts();
  const result = await fn();
  return { result, counts: countsBetween(before, deviceCounts()) };
}

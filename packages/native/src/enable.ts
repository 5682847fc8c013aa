/**
 * One call to turn the native kernels on for the wasm backend, and one to turn
 * them off. Enabling keeps the original wasm kernels (from `getKernel`) for the
 * cases the addon does not run and for `disableNativeKernels`. When the addon
 * cannot load, or the wasm backend is not registered, nothing changes: the
 * status says why, and one notice is printed per process (unless `quiet`).
 */
import { _FusedMatMul, BatchMatMul, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { loadAddon, type AddonLoad } from './addon.js';
import { NATIVE_MATMUL, nativeBatchMatMul, nativeFusedMatMul } from './kernels.js';

export interface NativeStatus {
  /** True when the native kernels are registered on the wasm backend. */
  readonly enabled: boolean;
  /** The kernels now native (empty when disabled). */
  readonly kernels: readonly string[];
  /** OpenBLAS's kernel family for this CPU (enabled only), e.g. "SkylakeX". */
  readonly core?: string;
  /** Why the native kernels are off, as a one-line notice (disabled only). */
  readonly notice?: string;
}

export interface EnableOptions {
  /** Do not print the notice (the caller reports `status.notice` itself). Default false. */
  readonly quiet?: boolean;
  /** Load the addon another way (tests simulate a missing or broken addon with this). */
  readonly load?: () => AddonLoad;
}

const NAMES = [BatchMatMul, _FusedMatMul] as const;
const originals = new Map<string, KernelConfig>();
let warned = false;

function isNative(k: KernelConfig | undefined): boolean {
  return k != null && (k as unknown as Record<symbol, unknown>)[NATIVE_MATMUL] === true;
}

function off(notice: string, quiet: boolean): NativeStatus {
  if (!quiet && !warned) {
    warned = true;
    console.warn(notice);
  }
  return { enabled: false, kernels: [], notice };
}

/** Register the native `BatchMatMul` and `_FusedMatMul` on the wasm backend (idempotent). */
export function enableNativeKernels(options: EnableOptions = {}): NativeStatus {
  const quiet = options.quiet ?? false;
  const current = NAMES.map((n) => getKernel(n, 'wasm'));
  if (current.some((k) => k == null)) {
    return off('notice: native kernels off: the wasm backend is not registered (import @tensorflow/tfjs-backend-wasm first); using plain kernels', quiet);
  }
  const loaded = (options.load ?? loadAddon)();
  if ('error' in loaded) return off(`notice: native kernels unavailable (${loaded.error}); using plain wasm`, quiet);
  const { addon } = loaded;
  NAMES.forEach((name, i) => {
    const k = current[i]!;
    const original = isNative(k) ? originals.get(name)! : k;
    originals.set(name, original);
    const native = name === BatchMatMul ? nativeBatchMatMul(addon, original) : nativeFusedMatMul(addon, original);
    unregisterKernel(name, 'wasm');
    registerKernel(native);
  });
  return { enabled: true, kernels: [...NAMES], core: addon.corename() };
}

/** Restore the original wasm kernels (a no-op when the native ones are not registered). */
export function disableNativeKernels(): void {
  for (const name of NAMES) {
    const original = originals.get(name);
    if (!original || !isNative(getKernel(name, 'wasm'))) continue;
    unregisterKernel(name, 'wasm');
    registerKernel(original);
  }
}

/** Are the native kernels registered on the wasm backend now? */
export function nativeKernelsEnabled(): boolean {
  return NAMES.every((n) => isNative(getKernel(n, 'wasm')));
}

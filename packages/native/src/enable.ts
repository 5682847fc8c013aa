/**
 * One call to turn the native kernels on for the wasm backend, and one to turn
 * them off. Enabling keeps the original wasm kernels (from `getKernel`) for the
 * cases the addon does not run and for `disableNativeKernels`. When the addon
 * cannot load, or the wasm backend is not registered, nothing changes: the
 * status says why, and one notice is printed per process (unless `quiet`).
 */
import { _FusedMatMul, BatchMatMul, getKernel, Identity, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { loadAddon, type AddonLoad } from './addon.js';
import { NATIVE_KERNEL, sharedIdentity } from './identity.js';
import { NATIVE_MATMUL, nativeBatchMatMul, nativeFusedMatMul } from './kernels.js';
import { ADAM_KERNEL_NAME, adamKernel } from './adam-kernel.js';
import { ATTENTION_ROWS_KERNEL_NAME, attentionRowsKernel } from './attention-kernel.js';
import { ATTENTION_KERNEL_NAMES, attentionTrainKernels } from './attention-train-kernel.js';
import { LAYER_ROWS_KERNEL_NAME, layerRowsKernel } from './layer-kernel.js';
import { MLP_KERNEL_NAMES, mlpKernels } from './mlp-kernel.js';
import { ATTENTION_BLOCK_KERNEL_NAMES, attentionBlockKernels } from './attention-block-kernel.js';
import { MOVE_ROWS_KERNEL_NAME, moveRowsKernel } from './move-rows-kernel.js';
import { CROSS_ENTROPY_KERNEL_NAMES, crossEntropyKernels } from './cross-entropy-kernel.js';
import { ROW_KERNEL_NAMES, rowKernels } from './row-kernels.js';

export interface NativeStatus {
  /** True when the native kernels are registered on the wasm backend. */
  readonly enabled: boolean;
  /** The kernels now native (empty when disabled). */
  readonly kernels: readonly string[];
  /** OpenBLAS's kernel family for this CPU (enabled only), e.g. "SkylakeX". */
  readonly core?: string;
  /**
   * Whether the products of several worker threads of this process run at once (enabled only). True with
   * the prebuilt binary (a thread-safe OpenBLAS); false when built against a serial OpenBLAS, whose products
   * then run one at a time, so `--workers 2` gains nothing over one worker.
   */
  readonly concurrent?: boolean;
  /** Why the native kernels are off, as a one-line notice (disabled only). */
  readonly notice?: string;
}

export interface EnableOptions {
  /** Do not print the notice (the caller reports `status.notice` itself). Default false. */
  readonly quiet?: boolean;
  /** Load the addon another way (tests simulate a missing or broken addon with this). */
  readonly load?: () => AddonLoad;
}

/** wasm kernels replaced (the originals are kept) and kernels added (no wasm original). */
const NAMES = [BatchMatMul, _FusedMatMul, Identity] as const;
const ADDED = [...Object.values(ROW_KERNEL_NAMES), ADAM_KERNEL_NAME, ATTENTION_ROWS_KERNEL_NAME, ...Object.values(ATTENTION_KERNEL_NAMES), MOVE_ROWS_KERNEL_NAME, LAYER_ROWS_KERNEL_NAME, ...Object.values(MLP_KERNEL_NAMES), ...Object.values(ATTENTION_BLOCK_KERNEL_NAMES), ...Object.values(CROSS_ENTROPY_KERNEL_NAMES)];
const originals = new Map<string, KernelConfig>();
let warned = false;

function isNative(k: KernelConfig | undefined): boolean {
  const marks = k as unknown as Record<symbol, unknown> | undefined;
  return marks != null && (marks[NATIVE_MATMUL] === true || marks[NATIVE_KERNEL] === true);
}

function off(notice: string, quiet: boolean): NativeStatus {
  if (!quiet && !warned) {
    warned = true;
    console.warn(notice);
  }
  return { enabled: false, kernels: [], notice };
}

/**
 * Register the native `BatchMatMul` and `_FusedMatMul`, the zero-copy `Identity`,
 * the fused LayerNorm, GELU and softmax kernels, the Adam update, inference's
 * attention of query rows, inference's one-call layer over running rows,
 * training attention, training's attention sub-block, GELU MLP and per-token
 * cross-entropy (forward and gradient each) on the wasm backend (idempotent).
 */
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
    const native = name === BatchMatMul ? nativeBatchMatMul(addon, original) : name === _FusedMatMul ? nativeFusedMatMul(addon, original) : sharedIdentity(original);
    unregisterKernel(name, 'wasm');
    registerKernel(native);
  });
  for (const k of [...rowKernels(addon), adamKernel(addon), attentionRowsKernel(addon), ...attentionTrainKernels(addon), moveRowsKernel(addon), layerRowsKernel(addon), ...mlpKernels(addon), ...attentionBlockKernels(addon), ...crossEntropyKernels(addon)]) {
    if (getKernel(k.kernelName, 'wasm') != null) unregisterKernel(k.kernelName, 'wasm');
    registerKernel(k);
  }
  return { enabled: true, kernels: [...NAMES, ...ADDED], core: addon.corename(), concurrent: addon.concurrent() };
}

/** Restore the original wasm kernels (a no-op when the native ones are not registered). */
export function disableNativeKernels(): void {
  for (const name of NAMES) {
    const original = originals.get(name);
    if (!original || !isNative(getKernel(name, 'wasm'))) continue;
    unregisterKernel(name, 'wasm');
    registerKernel(original);
  }
  for (const name of ADDED) if (isNative(getKernel(name, 'wasm'))) unregisterKernel(name, 'wasm');
}

/** Are the native kernels registered on the wasm backend now? */
export function nativeKernelsEnabled(): boolean {
  return [...NAMES, ...ADDED].every((n) => isNative(getKernel(n, 'wasm')));
}

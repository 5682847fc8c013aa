/**
 * A zero-copy `Identity` for the wasm backend. tfjs-backend-wasm 4.22 copies the
 * whole tensor for every `Identity` (`tf.clone`, and the ones autodiff and
 * `customGrad` add: about 725 per W1 training step), while its own `Reshape`, and
 * the cpu and webgl backends' `Identity`, share the input's data and count one
 * more reference. Tensors are immutable in tfjs (a variable's `assign` swaps its
 * data, it never writes in place), so sharing is safe; the data is freed when
 * the last tensor that holds it is disposed. Strings keep the original kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** Marks a kernel config registered by this package that is not a product. */
export const NATIVE_KERNEL = Symbol.for('anira.native-kernel');

type KernelArgs = Parameters<KernelFunc>[0];

interface RefCounting {
  incRef(dataId: TensorInfo['dataId']): void;
}

/** `Identity` that returns the input's data with one more reference, falling back to `original`. */
export function sharedIdentity(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    const backend = args.backend as Partial<RefCounting>;
    if (x.dtype === 'string' || typeof backend.incRef !== 'function') return original.kernelFunc(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc, [NATIVE_KERNEL]: true } as KernelConfig;
}

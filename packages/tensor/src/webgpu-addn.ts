/**
 * tfjs-backend-webgpu 4.22's AddN packs every input into ONE shader, one storage
 * buffer each. Gradient accumulation in a looped transformer adds 30+ tensors (a
 * shared weight used at every iteration), past the device's
 * `maxStorageBuffersPerShaderStage` (8 by default): the pipeline is invalid, Dawn
 * prints validation errors and the sum silently comes out wrong. This wraps the
 * kernel to add in chunks that fit (chunk sums feed the next chunk), same result
 * up to float reassociation. Shared by the CLI's Node WebGPU setup and the browser
 * page (examples/browser-webgpu); call it once the webgpu backend is imported.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WebGpuBackendLike {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): void;
}

/**
 * Replace the registered webgpu AddN with a chunked one (idempotent; does nothing
 * when no webgpu AddN is registered). The inputs per chunk are
 * `maxStorageBuffersPerShaderStage - 1` (one buffer is the output).
 */
export function chunkWebGpuAddN(): void {
  const original = tf.getKernel(tf.AddN, 'webgpu');
  if (!original || (original as { chunked?: boolean }).chunked) return;
  const addN = original.kernelFunc;
  const kernelFunc: tf.KernelFunc = (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[]; // [n] tensors of one shape
    const backend = args.backend as unknown as WebGpuBackendLike;
    const max = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    if (inputs.length <= max) return addN(args);
    let rest = inputs;
    let acc: tf.TensorInfo | undefined;
    while (rest.length > 0) {
      const room = acc ? max - 1 : max;
      const chunk = acc ? [acc, ...rest.slice(0, room)] : rest.slice(0, room);
      rest = rest.slice(room);
      const [first] = chunk;
      if (first === undefined) throw new Error('invariant: an empty AddN chunk');
      const sum = chunk.length === 1 ? first : (addN({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo);
      if (acc && acc !== sum) backend.disposeData(acc.dataId);
      acc = sum;
    }
    if (acc === undefined) throw new Error('invariant: AddN chunking summed no inputs');
    return acc;
  };
  tf.unregisterKernel(tf.AddN, 'webgpu');
  tf.registerKernel({ ...original, kernelFunc, chunked: true } as tf.KernelConfig);
}

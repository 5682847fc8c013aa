/**
 * What the tfjs backend in use does fast, asked by capability instead of by
 * backend name, in one place. Every choice between two equivalent formulations
 * (transposed products or explicit transposes, batched matmul or depthwise
 * convolution for attention, row selection on the host or on the device) reads
 * this module. Native kernels (`@anira/native`) mark their kernel configs with
 * `Symbol.for('anira.native-matmul')`; this module reads the mark from the
 * kernel registry, so it needs no import of that package and follows enabling
 * and disabling at once.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hasAttentionKernels, hasAttentionRowsKernel, hasGeluKernels, hasLayerNormKernels, hasLayerRowsKernel, hasMlpKernels, hasAttentionBlockKernels, hasSoftmaxKernels, hasCrossEntropyKernels } from './fused-kernels.js';

/** The mark `@anira/native` puts on its kernel configs. */
const NATIVE_MATMUL = Symbol.for('anira.native-matmul');

export interface BackendCapabilities {
  /** The tfjs backend these answers are for. */
  readonly backend: string;
  /** `matMul(a, b, transposeA, transposeB)` runs about as fast as the untransposed product. */
  readonly transposedProductCheap: boolean;
  /** How attention's batched products run: `'matmul'` (BatchMatMul) or `'conv'` (one depthwise convolution). */
  readonly attention: 'matmul' | 'conv';
  /** Rows are gathered and scattered by copying in JS (`'host'`: data already in CPU memory) or with tf ops (`'device'`). */
  readonly rowSelection: 'host' | 'device';
  /** A 2-D transpose is faster viewed as 3-D (wasm's Transpose kernel). */
  readonly transposeVia3d: boolean;
  /** LayerNorm runs as one registered kernel each way (`AniraLayerNorm`, fused-kernels.ts). */
  readonly layerNormKernel: boolean;
  /** GELU runs as one registered kernel each way (`AniraGelu`, fused-kernels.ts). */
  readonly geluKernel: boolean;
  /** The GELU MLP runs as one registered kernel each way (`AniraMlp`, fused-kernels.ts). */
  readonly mlpKernel: boolean;
  /** Softmax over the last axis runs as one registered kernel each way (`AniraSoftmax`, fused-kernels.ts). */
  readonly softmaxKernel: boolean;
  /** Inference's attention of query rows runs as one registered kernel (`AniraAttentionRows`, fused-kernels.ts), no head transposes. */
  readonly attentionRowsKernel: boolean;
  /** An inference layer over running rows runs as one registered kernel (`AniraLayerRows`, fused-kernels.ts; layer-rows.ts). */
  readonly layerRowsKernel: boolean;
  /** Training attention of every token runs as one registered kernel each way (`AniraAttention`, fused-kernels.ts), no head transposes. */
  readonly attentionKernel: boolean;
  /** Training's projections, attention and output projection run as one registered kernel each way (`AniraAttentionBlock`, fused-kernels.ts). */
  readonly attentionBlockKernel: boolean;
  /** The per-token cross-entropy runs as one registered kernel each way (`AniraCrossEntropy`, fused-kernels.ts). */
  readonly crossEntropyKernel: boolean;
}

/** Is the backend's BatchMatMul a native kernel that handles transpose flags at full speed? */
function nativeMatmul(backend: string): boolean {
  const k = tf.getKernel('BatchMatMul', backend) as unknown as Record<symbol, unknown> | undefined;
  return k?.[NATIVE_MATMUL] === true;
}

/** The capabilities of `backend` (default: the active tfjs backend). */
export function backendCapabilities(backend: string = tf.getBackend()): BackendCapabilities {
  const wasm = backend === 'wasm';
  const native = nativeMatmul(backend);
  return {
    backend,
    // wasm's own transposed and batched products run a scalar loop (10-40x slower);
    // the other backends keep the explicit-transpose formulation they were tuned with.
    transposedProductCheap: native,
    attention: wasm && !native ? 'conv' : 'matmul',
    rowSelection: wasm || backend === 'cpu' ? 'host' : 'device',
    transposeVia3d: wasm,
    layerNormKernel: hasLayerNormKernels(backend),
    geluKernel: hasGeluKernels(backend),
    mlpKernel: hasMlpKernels(backend),
    softmaxKernel: hasSoftmaxKernels(backend),
    attentionRowsKernel: hasAttentionRowsKernel(backend),
    attentionKernel: hasAttentionKernels(backend),
    attentionBlockKernel: hasAttentionBlockKernels(backend),
    layerRowsKernel: hasLayerRowsKernel(backend),
    crossEntropyKernel: hasCrossEntropyKernels(backend),
  };
}

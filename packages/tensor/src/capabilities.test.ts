/**
 * The capability answers per backend, including a backend whose BatchMatMul
 * carries the native mark (registered here by hand, as `@anira/native` does).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { backendCapabilities } from './capabilities.js';

const FAKE = 'anira-fake-native';

afterAll(() => tf.unregisterKernel('BatchMatMul', FAKE));

describe('backendCapabilities', () => {
  it('plain wasm: explicit transposes, attention as convolution, rows on the host', () => {
    expect(backendCapabilities('wasm')).toEqual({
      backend: 'wasm',
      transposedProductCheap: false,
      attention: 'conv',
      rowSelection: 'host',
      transposeVia3d: true,
      layerNormKernel: false,
      geluKernel: false,
      mlpKernel: false,
      softmaxKernel: false,
      attentionRowsKernel: false,
      attentionKernel: false,
      attentionBlockKernel: false,
      crossEntropyKernel: false,
      layerRowsKernel: false,
    });
  });

  it('cpu: rows on the host, attention as matmul', () => {
    expect(backendCapabilities('cpu')).toMatchObject({ transposedProductCheap: false, attention: 'matmul', rowSelection: 'host', transposeVia3d: false });
  });

  it('a GPU backend selects rows on the device', () => {
    expect(backendCapabilities('webgpu')).toMatchObject({ rowSelection: 'device', attention: 'matmul' });
  });

  it('a BatchMatMul marked native makes transposed products cheap', () => {
    tf.registerKernel({ kernelName: 'BatchMatMul', backendName: FAKE, kernelFunc: () => ({ dataId: {}, shape: [], dtype: 'float32' }), [Symbol.for('anira.native-matmul')]: true } as tf.KernelConfig);
    expect(backendCapabilities(FAKE)).toMatchObject({ transposedProductCheap: true, attention: 'matmul' });
  });
});

/**
 * Backend selection: registers the cpu and wasm tfjs backends and switches to one
 * (wasm loads offline from its package files); `webgpu` goes through the CLI's own
 * setup (`setupBackend` of @anira/cli: Dawn's Node bindings from the `webgpu`
 * package, the adapter check, the AddN fix), so the bench measures what users run.
 * `native` is wasm with `@anira/native`'s kernels on; `wasm` turns them off.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { disableNativeKernels, enableNativeKernels } from '@anira/native';
import type { BackendName } from './sizes.js';

export const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'native', 'webgpu'];

/** Switch tfjs to `name`; throws if it cannot initialise. Resolves to the GPU adapter's name (webgpu) or undefined. */
export async function useBackend(name: BackendName): Promise<string | undefined> {
  if (name === 'webgpu') {
    const { setupBackend } = await import('@anira/cli');
    return (await setupBackend('webgpu')).adapter;
  }
  const tfName = name === 'native' ? 'wasm' : name;
  const ok = await tf.setBackend(tfName);
  await tf.ready();
  if (!ok || tf.getBackend() !== tfName) throw new Error(`bench: backend "${tfName}" failed to initialise (active: ${tf.getBackend()})`);
  if (name === 'native') {
    const status = enableNativeKernels({ quiet: true });
    if (!status.enabled) throw new Error(`bench: backend "native": ${status.notice ?? 'the native kernels did not load'}`);
    return `OpenBLAS ${status.core ?? '?'}`;
  }
  disableNativeKernels();
  return undefined;
}

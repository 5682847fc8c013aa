/**
 * Backend selection: registers the cpu and wasm tfjs backends and switches to one
 * (wasm loads offline from its package files); `webgpu` goes through the CLI's own
 * setup (`setupBackend` of @anira/cli: Dawn's Node bindings from the `webgpu`
 * package, the adapter check, the AddN fix), so the bench measures what users run.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from './sizes.js';

export const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

/** Switch tfjs to `name`; throws if it cannot initialise. Resolves to the GPU adapter's name (webgpu) or undefined. */
export async function useBackend(name: BackendName): Promise<string | undefined> {
  if (name === 'webgpu') {
    const { setupBackend } = await import('@anira/cli');
    return (await setupBackend('webgpu')).adapter;
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`bench: backend "${name}" failed to initialise (active: ${tf.getBackend()})`);
  return undefined;
}

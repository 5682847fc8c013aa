/** Backend selection: registers the cpu and wasm tfjs backends and switches to one (wasm loads offline from its package files). */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from './sizes.js';

export const BACKENDS: readonly BackendName[] = ['cpu', 'wasm'];

/** Switch tfjs to `name`; throws if it cannot initialise. */
export async function useBackend(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`bench: backend "${name}" failed to initialise (active: ${tf.getBackend()})`);
}

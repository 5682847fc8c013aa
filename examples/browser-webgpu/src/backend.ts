/**
 * Backend selection for the page: try WebGPU, then WebGL, then the plain-JS CPU
 * backend, and report which one is active, on which adapter, and why the others
 * were skipped. On WebGPU, AddN is chunked to the device's storage-buffer limit
 * (`chunkWebGpuAddN`: gradient sums of the looped weight have more inputs than one
 * shader may bind). Importing `@anira/model` elsewhere registers the gradients training needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { chunkWebGpuAddN } from '@anira/tensor';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';

export const BACKEND_ORDER = ['webgpu', 'webgl', 'cpu'] as const;

export interface BackendChoice {
  readonly name: string;
  /** Backends tried before the chosen one, with the reason they were skipped. */
  readonly skipped: readonly { name: string; reason: string }[];
}

/** Activate the first backend of `order` that initialises. */
export async function pickBackend(order: readonly string[] = BACKEND_ORDER): Promise<BackendChoice> {
  const skipped: { name: string; reason: string }[] = [];
  for (const name of order) {
    if (name === 'webgpu' && !('gpu' in navigator)) {
      skipped.push({ name, reason: 'this browser has no navigator.gpu' });
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        if (name === 'webgpu') chunkWebGpuAddN();
        return { name: tf.getBackend(), skipped };
      }
      skipped.push({ name, reason: 'initialisation failed (no adapter or context)' });
    } catch (e) {
      skipped.push({ name, reason: (e as Error).message.split('\n')[0] ?? 'error' });
    }
  }
  throw new Error(`no tfjs backend could be initialised (tried ${order.join(', ')})`);
}

/** The WebGPU adapter's description (vendor, architecture), or null without WebGPU. */
export async function webgpuAdapter(): Promise<{ description: string; software: boolean } | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = (await gpu?.requestAdapter()) as { info?: Record<string, unknown>; isFallbackAdapter?: boolean } | null | undefined;
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const description = ['vendor', 'architecture', 'description'].map((k) => String(info[k] ?? '')).filter(Boolean).join(' ');
  const software = adapter.isFallbackAdapter === true || info['isFallbackAdapter'] === true || /swiftshader/i.test(description);
  return { description: description || 'unknown adapter', software };
}

/**
 * The backend for inference: the training backend, unless `override` (URL
 * `?inference=webgl|cpu|webgpu`) names another one that initialises. The page only
 * reads tensors asynchronously (`inferAsync`, `Trainer.runAsync`), so WebGPU works
 * for both, including on a software adapter (SwiftShader), where tfjs-webgpu's
 * synchronous reads return zeros and then lose the device.
 */
export async function pickInferenceBackend(training: string, override?: string): Promise<{ name: string; reason: string | null }> {
  if (!override || override === training) return { name: training, reason: null };
  let ok = false;
  try {
    ok = await tf.setBackend(override);
  } catch {
    ok = false;
  }
  await tf.setBackend(training);
  if (!ok) throw new Error(`inference backend "${override}" (from ?inference=) could not be initialised; allowed: ${BACKEND_ORDER.join(', ')}`);
  return { name: override, reason: `forced with ?inference=${override}` };
}

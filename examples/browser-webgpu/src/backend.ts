/**
 * Backend selection for the page: try WebGPU, then WebGL, then the plain-JS CPU
 * backend, and report which one is active and why the others were skipped.
 * Importing `@anira/model` elsewhere registers the gradients training needs.
 */
import * as tf from '@tensorflow/tfjs-core';
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
 * The backend for inference. @anira/model's skipping inference reads each step's halt
 * mask synchronously (`dataSync`). tfjs-webgpu does such reads through a canvas, which
 * on a software adapter (SwiftShader, e.g. headless Chromium) returns zeros and then
 * loses the device; so there, inference runs on the next backend (WebGL, then CPU).
 * `override` (URL `?inference=`) forces a backend.
 */
export async function pickInferenceBackend(training: string, override?: string): Promise<{ name: string; reason: string | null }> {
  if (override) return { name: override, reason: `forced with ?inference=${override}` };
  if (training !== 'webgpu') return { name: training, reason: null };
  const adapter = await webgpuAdapter();
  if (!adapter?.software) return { name: training, reason: null };
  const reason = `the WebGPU adapter is a software one (${adapter.description}), where tfjs cannot read GPU data synchronously`;
  for (const name of BACKEND_ORDER.slice(1)) {
    try {
      if (await tf.setBackend(name)) {
        await tf.setBackend(training);
        return { name, reason };
      }
    } catch {
      // try the next one
    }
  }
  await tf.setBackend(training);
  throw new Error('no backend for inference besides webgpu could be initialised');
}

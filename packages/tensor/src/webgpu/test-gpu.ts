/**
 * Test-only setup: tfjs's `webgpu` backend in Node through the `webgpu` package
 * (Dawn), on whatever Vulkan driver the machine offers; without a GPU, Chromium's
 * SwiftShader driver (`VK_ICD_FILENAMES`, set here when present and unset). Resolves
 * to undefined when ready, or the reason WebGPU is unavailable (tests skip with it).
 * Also: a dispatch counter around `runWebGPUProgram` and a norm-wise comparison.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Make `webgpu` the active backend; the reason it cannot be, or undefined. */
export async function useNodeWebGpu(): Promise<string | undefined> {
  if (process.platform === 'linux') {
    process.env['XDG_RUNTIME_DIR'] ??= tmpdir();
    if (process.env['VK_ICD_FILENAMES'] === undefined && existsSync(SWIFTSHADER)) process.env['VK_ICD_FILENAMES'] = SWIFTSHADER;
  }
  let webgpu: { create(o: string[]): { requestAdapter(): Promise<unknown> }; globals: Record<string, unknown> };
  try {
    webgpu = (await import('webgpu')) as unknown as typeof webgpu;
  } catch (e) {
    return `the webgpu package failed to load (${String(e).split('\n')[0]})`;
  }
  for (const [k, v] of Object.entries(webgpu.globals)) if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  const g = globalThis as { navigator?: { gpu?: unknown } };
  const gpu = (g.navigator?.gpu as ReturnType<typeof webgpu.create> | undefined) ?? webgpu.create([]);
  if ((await gpu.requestAdapter()) === null) return 'no WebGPU adapter (no GPU and no SwiftShader driver; apt-get install -y chromium libvulkan1)';
  if (g.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (g.navigator.gpu === undefined) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) return 'the webgpu backend failed to initialise';
  // small ops on CPU-resident inputs would otherwise run on the CPU (not counted, not what training does)
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  return undefined;
}

/** Number of GPU programs `f` dispatches on the active webgpu backend. */
export function countDispatches(f: () => void): number {
  const backend = tf.backend() as unknown as { runWebGPUProgram: (...a: unknown[]) => unknown };
  const original = backend.runWebGPUProgram;
  let n = 0;
  backend.runWebGPUProgram = function (this: unknown, ...a: unknown[]) {
    n += 1;
    return original.apply(this, a);
  };
  try {
    f();
  } finally {
    backend.runWebGPUProgram = original;
  }
  return n;
}

/** `max |a - b| / max |b|` (norm-wise relative error; 0 when both are all zero). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relError: lengths differ (${a.length} vs ${b.length})`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === undefined || y === undefined) throw new Error(`invariant: index ${i} out of range for length ${a.length}`);
    diff = Math.max(diff, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(y));
  }
  return scale === 0 ? diff : diff / scale;
}

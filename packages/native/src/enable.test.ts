/**
 * Turning the kernels on and off, and the fallback: a missing or broken addon
 * (simulated through `load`) leaves the wasm kernels in place and gives one
 * notice per process; the products still run, on plain wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { disableNativeKernels, enableNativeKernels, nativeKernelsEnabled } from './enable.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The committed linux-x64 binary, whatever build/ folder node-gyp-build would prefer. */
const PREBUILT_LINUX_X64 = fileURLToPath(new URL('../prebuilds/linux-x64/@anira+native.node', import.meta.url));

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

describe('enableNativeKernels', () => {
  it('loads the addon shipped for this platform', () => {
    const loaded = loadAddon();
    expect('addon' in loaded ? typeof loaded.addon.corename() : loaded.error).toBe('string');
    expect('addon' in loaded).toBe(true);
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('the linux-x64 prebuilt takes products of several threads at once (a thread-safe OpenBLAS build)', () => {
    const prebuilt = createRequire(import.meta.url)(PREBUILT_LINUX_X64) as NativeAddon;
    expect(prebuilt.concurrent()).toBe(true);
    expect(enableNativeKernels({ quiet: true }).concurrent).toBeTypeOf('boolean');
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('loading the prebuilt leaves no BLAS thread pool behind (threads of a fresh process before and after)', () => {
    const script = `const fs = require('fs'); const n = () => fs.readdirSync('/proc/self/task').length; const a = n(); require(${JSON.stringify(PREBUILT_LINUX_X64)}); console.log(JSON.stringify([a, n()]));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [before, after] = JSON.parse(r.stdout) as [number, number];
    expect(after).toBe(before);
  });

  it('a missing addon: one notice, plain wasm, correct products', () => {
    disableNativeKernels();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const missing = () => ({ error: "Cannot find module '@anira+native.node'" });
    const s1 = enableNativeKernels({ load: missing });
    const s2 = enableNativeKernels({ load: missing });
    expect(s1.enabled).toBe(false);
    expect(s1.notice).toMatch(/^notice: native kernels unavailable \(Cannot find module .*\); using plain wasm$/);
    expect(s2.enabled).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(nativeKernelsEnabled()).toBe(false);
    const y = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]), true, false);
    expect(Array.from(y.dataSync())).toEqual([26, 30, 38, 44]);
  });

  it('an addon that throws on load: quiet gives the notice without printing', () => {
    const warn = vi.spyOn(console, 'warn');
    const s = enableNativeKernels({
      quiet: true,
      load: () => loadAddon('/nonexistent/anira-native'),
    });
    expect(s.enabled).toBe(false);
    expect(s.notice).toMatch(/^notice: native kernels unavailable \(.+\); using plain wasm$/);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('enable is idempotent and disable restores the wasm kernels', () => {
    const s = enableNativeKernels();
    expect(s).toMatchObject({ enabled: true, kernels: ['BatchMatMul', '_FusedMatMul', 'Identity', 'AniraLayerNorm', 'AniraLayerNormGrad', 'AniraGelu', 'AniraGeluGrad', 'AniraSoftmax', 'AniraSoftmaxGrad', 'AniraAdam', 'AniraAttentionRows', 'AniraAttention', 'AniraAttentionGrad', 'AniraHeapMoveRows', 'AniraLayerRows', 'AniraMlp', 'AniraMlpGrad', 'AniraAttentionBlock', 'AniraAttentionBlockGrad', 'AniraCrossEntropy', 'AniraCrossEntropyGrad'] });
    expect(enableNativeKernels().enabled).toBe(true);
    expect(nativeKernelsEnabled()).toBe(true);
    disableNativeKernels();
    expect(nativeKernelsEnabled()).toBe(false);
    expect(enableNativeKernels().enabled).toBe(true);
  });
});

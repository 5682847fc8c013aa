/** The comparison table pairs each engine with PyTorch on one core under the same OpenBLAS environment, and with PyTorch as its script runs. */
import { describe, expect, it } from 'vitest';
import { blasEnvironment, blasVarsSet } from './blas-env.js';
import { formatComparison } from './compare.js';
import type { BackendResult } from './results.js';
import { torchEnvironment, type TorchBlasThreads, type TorchResult } from './torch.js';

const ours = (backend: 'native' | 'wasm', train: number, fixed: number, blasEnv?: 'unset' | 'machine') =>
  ({
    backend, ...(blasEnv ? { blasEnv } : {}),
    w1Train: { tokensPerSecond: train }, w2Infer: { fixed: { tokensPerSecond: fixed }, timeRatio: 0.3 }, w4Memory: { peakRssBytes: 2 ** 30 },
  }) as unknown as BackendResult;
const torch = (env: 'unset' | 'machine', train: number, fixed: number, blasThreads: TorchBlasThreads = 'one', cpuPerWall = 1): TorchResult => ({
  env, blasThreads, cpuPerWall, engine: 'torch', trainTokensPerSecond: train, inferFixedTokensPerSecond: fixed, inferAdaptiveTokensPerSecond: 0, adaptiveTimeRatio: 0.5, idealRatio: 0.25, peakRssBytes: 0,
});

describe('bench comparison', () => {
  it('divides native by PyTorch on one core under the same environment, by PyTorch on every core, and by plain wasm', () => {
    const text = formatComparison(
      [ours('native', 6000, 30000, 'unset'), ours('native', 4000, 20000, 'machine'), ours('wasm', 2000, 10000)],
      [torch('unset', 5000, 40000), torch('unset', 7500, 60000, 'default', 1.8), torch('machine', 4000, 25000)],
    );
    expect(text).toContain('wasm+native (OPENBLAS vars unset) / torch 1 thread, BLAS 1 thread (OPENBLAS vars unset): W1 1.20x, W2 fixed 0.75x');
    expect(text).toContain('wasm+native (OPENBLAS vars unset) / torch 1 thread, BLAS default threads (OPENBLAS vars unset): W1 0.80x, W2 fixed 0.50x');
    expect(text).toContain('wasm+native (OPENBLAS vars as set) / torch 1 thread, BLAS 1 thread (OPENBLAS vars as set): W1 1.00x, W2 fixed 0.80x');
    expect(text).toContain('wasm+native (OPENBLAS vars unset) / plain wasm: W1 3.00x, W2 fixed 3.00x');
    expect(text).toContain('plain wasm / torch 1 thread, BLAS 1 thread (OPENBLAS vars unset): W1 0.40x, W2 fixed 0.25x');
    expect(text).toMatch(/BLAS default threads \(OPENBLAS vars unset\)\s.*\s1\.80\n/);
  });

  it('a native run without a recorded environment is compared with PyTorch as set where the machine sets the variables', () => {
    const text = formatComparison([ours('native', 4000, 20000)], [torch('unset', 5000, 40000), torch('machine', 4000, 25000)]);
    expect(text).toContain('wasm+native / torch 1 thread, BLAS 1 thread (OPENBLAS vars as set): W1 1.00x, W2 fixed 0.80x');
    expect(text).not.toContain('wasm+native / torch 1 thread, BLAS 1 thread (OPENBLAS vars unset)');
  });

  it('and with PyTorch unset where the machine sets none (no "as set" run)', () => {
    const text = formatComparison([ours('native', 4000, 20000)], [torch('unset', 5000, 40000), torch('unset', 8000, 50000, 'default', 1.9)]);
    expect(text).toContain('wasm+native / torch 1 thread, BLAS 1 thread (OPENBLAS vars unset): W1 0.80x, W2 fixed 0.50x');
    expect(text).toContain('wasm+native / torch 1 thread, BLAS default threads (OPENBLAS vars unset): W1 0.50x, W2 fixed 0.40x');
  });

  it('removes exactly the OpenBLAS variables for "unset", and pins PyTorch\'s BLAS to one thread for "one"', () => {
    const env = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/bin' };
    expect(blasEnvironment('unset', env)).toEqual({ PATH: '/bin' });
    expect(blasEnvironment('machine', env)).toEqual(env);
    expect(blasVarsSet(env)).toBe(true);
    expect(blasVarsSet({ PATH: '/bin' })).toBe(false);
    expect(torchEnvironment('unset', 'one', env)).toEqual({ PATH: '/bin', OPENBLAS_NUM_THREADS: '1' });
    expect(torchEnvironment('unset', 'default', env)).toEqual({ PATH: '/bin' });
    expect(torchEnvironment('machine', 'one', env)).toEqual({ ...env, OPENBLAS_NUM_THREADS: '1' });
  });
});

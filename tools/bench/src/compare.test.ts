/** The comparison table pairs each engine with PyTorch under the same OpenBLAS environment. */
import { describe, expect, it } from 'vitest';
import { blasEnvironment, blasVarsSet } from './blas-env.js';
import { formatComparison } from './compare.js';
import type { BackendResult } from './results.js';
import type { TorchResult } from './torch.js';

const ours = (backend: 'native' | 'wasm', train: number, fixed: number, blasEnv?: 'unset' | 'machine') =>
  ({
    backend, ...(blasEnv ? { blasEnv } : {}),
    w1Train: { tokensPerSecond: train }, w2Infer: { fixed: { tokensPerSecond: fixed }, timeRatio: 0.3 }, w4Memory: { peakRssBytes: 2 ** 30 },
  }) as unknown as BackendResult;
const torch = (env: 'unset' | 'machine', train: number, fixed: number): TorchResult => ({
  env, engine: 'torch', trainTokensPerSecond: train, inferFixedTokensPerSecond: fixed, inferAdaptiveTokensPerSecond: 0, adaptiveTimeRatio: 0.5, idealRatio: 0.25, peakRssBytes: 0,
});

describe('bench comparison', () => {
  it('divides native by PyTorch under the same environment, and by plain wasm', () => {
    const text = formatComparison(
      [ours('native', 6000, 30000, 'unset'), ours('native', 4000, 20000, 'machine'), ours('wasm', 2000, 10000)],
      [torch('unset', 5000, 40000), torch('machine', 4000, 25000)],
    );
    expect(text).toContain('wasm+native (OPENBLAS vars unset) / torch (OPENBLAS vars unset): W1 1.20x, W2 fixed 0.75x');
    expect(text).toContain('wasm+native (OPENBLAS vars as set) / torch (OPENBLAS vars as set): W1 1.00x, W2 fixed 0.80x');
    expect(text).toContain('wasm+native (OPENBLAS vars unset) / plain wasm: W1 3.00x, W2 fixed 3.00x');
    expect(text).toContain('plain wasm / torch (OPENBLAS vars unset): W1 0.40x, W2 fixed 0.25x');
  });

  it('a native run without a recorded environment ran under the machine\'s and is compared with PyTorch as set', () => {
    const text = formatComparison([ours('native', 4000, 20000)], [torch('unset', 5000, 40000), torch('machine', 4000, 25000)]);
    expect(text).toContain('wasm+native / torch (OPENBLAS vars as set): W1 1.00x, W2 fixed 0.80x');
    expect(text).not.toContain('wasm+native / torch (OPENBLAS vars unset)');
  });

  it('removes exactly the OpenBLAS variables for "unset"', () => {
    const env = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/bin' };
    expect(blasEnvironment('unset', env)).toEqual({ PATH: '/bin' });
    expect(blasEnvironment('machine', env)).toEqual(env);
    expect(blasVarsSet(env)).toBe(true);
    expect(blasVarsSet({ PATH: '/bin' })).toBe(false);
  });
});

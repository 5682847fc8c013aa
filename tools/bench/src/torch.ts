/**
 * The PyTorch reference of W1/W2 (`reference/torch_w1.py`, the same workload in
 * PyTorch on the CPU, `torch.set_num_threads(1)`), run with `OPENBLAS_CORETYPE` and
 * `OPENBLAS_L2_SIZE` removed (what a user's machine has) and, where this machine sets
 * them, with the environment as it is. `torch.set_num_threads(1)` does not reach
 * OpenBLAS: Debian's torch calls the pthread OpenBLAS, which runs its products on
 * every core (measured on the 2-core machine: 4096x128x384 in 3.5 ms wall and 7.0 ms
 * CPU). So each environment runs with `OPENBLAS_NUM_THREADS=1` (`blasThreads: 'one'`,
 * one core, the per-core figure our serial BLAS compares with), and the unset one also
 * as the script runs (`'default'`). Peak RSS and the CPU seconds per wall second come
 * from `getrusage` in the same Python process. Skipped, with the reason, when python3
 * or torch is missing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { blasEnvironment, type BlasEnv } from './blas-env.js';

/** `'one'`: OPENBLAS_NUM_THREADS=1 (one core); `'default'`: OpenBLAS's own thread count (every core unless the environment says otherwise). */
export type TorchBlasThreads = 'one' | 'default';

export interface TorchResult {
  /** 'unset': OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE removed; 'machine': the environment as it is. */
  readonly env: BlasEnv;
  readonly blasThreads: TorchBlasThreads;
  /** CPU seconds (user + system) per wall second of the whole Python process: about 1 on one core. */
  readonly cpuPerWall: number;
  readonly engine: string;
  readonly trainTokensPerSecond: number;
  readonly inferFixedTokensPerSecond: number;
  readonly inferAdaptiveTokensPerSecond: number;
  readonly adaptiveTimeRatio: number;
  readonly idealRatio: number;
  readonly peakRssBytes: number;
}

export const TORCH_SCRIPT = fileURLToPath(new URL('../reference/torch_w1.py', import.meta.url));
const PYTHON = process.env.ANIRA_BENCH_PYTHON ?? '/usr/bin/python3';

/** Runs the script in-process through runpy, then prints its own peak RSS (KiB) as a second JSON line. */
const WRAPPER = [
  'import json, resource, runpy, sys, time',
  't0 = time.perf_counter(); script = sys.argv[1]; sys.argv = sys.argv[1:]',
  "runpy.run_path(script, run_name='__main__')",
  'r = resource.getrusage(resource.RUSAGE_SELF)',
  "print(json.dumps({'maxrss_kib': r.ru_maxrss, 'cpu_s': r.ru_utime + r.ru_stime, 'wall_s': time.perf_counter() - t0}))",
].join('\n');

/** The child's environment: `env`'s OpenBLAS variables, and OPENBLAS_NUM_THREADS=1 for `'one'`. */
export function torchEnvironment(env: BlasEnv, blasThreads: TorchBlasThreads, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = blasEnvironment(env, base);
  if (blasThreads === 'one') out['OPENBLAS_NUM_THREADS'] = '1';
  return out;
}

/** One reference run; throws a one-line error when it fails. */
export function runTorch(env: TorchResult['env'], iters: number, blasThreads: TorchBlasThreads = 'one'): TorchResult {
  const childEnv = torchEnvironment(env, blasThreads);
  const r = spawnSync(PYTHON, ['-c', WRAPPER, TORCH_SCRIPT, '--threads', '1', '--iters', String(iters)], { env: childEnv, encoding: 'utf8', timeout: 900_000 });
  if (r.error || r.status !== 0) throw new Error(`torch reference failed: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`);
  const lines = r.stdout.trim().split('\n');
  const main = JSON.parse(lines[lines.length - 2] ?? '{}') as Record<string, number | string>;
  const rss = JSON.parse(lines[lines.length - 1] ?? '{}') as { maxrss_kib?: number; cpu_s?: number; wall_s?: number };
  return {
    env,
    blasThreads,
    cpuPerWall: (rss.cpu_s ?? 0) / (rss.wall_s || 1),
    engine: String(main.engine),
    trainTokensPerSecond: Number(main.train_tok_s),
    inferFixedTokensPerSecond: Number(main.infer_fixed_tok_s),
    inferAdaptiveTokensPerSecond: Number(main.infer_adaptive_tok_s),
    adaptiveTimeRatio: Number(main.adaptive_time_ratio),
    idealRatio: Number(main.ideal_ratio),
    peakRssBytes: (rss.maxrss_kib ?? 0) * 1024,
  };
}

/** Is a python3 with torch there? undefined when yes, else the reason. */
export function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `${PYTHON}: ${r.error.message}`;
  return r.status === 0 ? undefined : `${PYTHON} has no torch (Debian: apt-get install python3-torch libopenblas0-pthread)`;
}

/**
 * The PyTorch reference of W1/W2 (`reference/torch_w1.py`, the same workload in
 * PyTorch on the CPU, one thread), run twice: with `OPENBLAS_CORETYPE` and
 * `OPENBLAS_L2_SIZE` removed (what a user's machine has) and with the environment
 * as this machine sets it. Its peak RSS comes from `getrusage` in the same Python
 * process. Skipped, with the reason, when python3 or torch is missing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { blasEnvironment, type BlasEnv } from './blas-env.js';

export interface TorchResult {
  /** 'unset': OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE removed; 'machine': the environment as it is. */
  readonly env: BlasEnv;
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
  'import json, resource, runpy, sys',
  'script = sys.argv[1]; sys.argv = sys.argv[1:]',
  "runpy.run_path(script, run_name='__main__')",
  "print(json.dumps({'maxrss_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))",
].join('\n');

/** One reference run; throws a one-line error when it fails. */
export function runTorch(env: TorchResult['env'], iters: number): TorchResult {
  const childEnv = blasEnvironment(env);
  const r = spawnSync(PYTHON, ['-c', WRAPPER, TORCH_SCRIPT, '--threads', '1', '--iters', String(iters)], { env: childEnv, encoding: 'utf8', timeout: 900_000 });
  if (r.error || r.status !== 0) throw new Error(`torch reference failed: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`);
  const lines = r.stdout.trim().split('\n');
  const main = JSON.parse(lines[lines.length - 2] ?? '{}') as Record<string, number | string>;
  const rss = JSON.parse(lines[lines.length - 1] ?? '{}') as { maxrss_kib?: number };
  return {
    env,
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

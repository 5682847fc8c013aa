/**
 * Command-line options of `pnpm bench`: `--backend <list>` (comma-separated
 * cpu|wasm|native|webgpu, or all = native, wasm and cpu; `native` is wasm with
 * `@anira/native`'s kernels), `--quick`, `--torch auto|on|off` (the PyTorch
 * reference; auto = when not quick and python3 has torch), `--out <dir>`, and
 * `--child` (internal: one backend, result printed as a JSON line).
 */
import type { BackendName } from './sizes.js';

export type TorchMode = 'auto' | 'on' | 'off';

export interface BenchArgs {
  readonly backends: readonly BackendName[];
  readonly quick: boolean;
  readonly torch: TorchMode;
  /** Run as a child process of a multi-backend run (print the result as `RESULT <json>`). */
  readonly child?: true;
  /** Results directory (default: tools/bench/results). */
  readonly out?: string;
}

export const USAGE = 'usage: bench [--backend cpu|wasm|native|webgpu|all[,...]] [--quick] [--torch auto|on|off] [--out <dir>]';
const NAMES: readonly BackendName[] = ['cpu', 'wasm', 'native', 'webgpu'];

/** Parse `argv` (without node and script); throws a one-line error naming the bad option. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  let backend = 'all';
  let quick = false;
  let out: string | undefined;
  let torch = 'auto';
  let child = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`bench: option "${flag}" needs a value. ${USAGE}`);
      return v;
    };
    if (flag === '--backend') backend = value();
    else if (flag === '--quick') quick = true;
    else if (flag === '--out') out = value();
    else if (flag === '--torch') torch = value();
    else if (flag === '--child') child = true;
    else if (flag === '--') continue;
    else throw new Error(`bench: unknown option "${a}". ${USAGE}`);
  }
  const backends: BackendName[] = [];
  for (const b of backend.split(',')) {
    const add = b === 'all' ? (['native', 'wasm', 'cpu'] as const) : NAMES.includes(b as BackendName) ? [b as BackendName] : undefined;
    if (!add) throw new Error(`bench: option "--backend" must list cpu, wasm, native, webgpu or all, got "${backend}"`);
    for (const x of add) if (!backends.includes(x)) backends.push(x);
  }
  if (torch !== 'auto' && torch !== 'on' && torch !== 'off') throw new Error(`bench: option "--torch" must be one of auto, on, off, got "${torch}"`);
  return { backends, quick, torch, ...(child ? { child: true as const } : {}), ...(out === undefined ? {} : { out }) };
}

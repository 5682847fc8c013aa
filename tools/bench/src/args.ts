/** Command-line options of `pnpm bench`: `--backend cpu|wasm|webgpu|all` (default all = wasm and cpu), `--quick`, `--out <dir>`. */
import type { BackendName } from './sizes.js';

export interface BenchArgs {
  readonly backends: readonly BackendName[];
  readonly quick: boolean;
  /** Results directory (default: tools/bench/results). */
  readonly out?: string;
}

export const USAGE = 'usage: bench [--backend cpu|wasm|webgpu|all] [--quick] [--out <dir>]';

/** Parse `argv` (without node and script); throws a one-line error naming the bad option. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  let backend = 'all';
  let quick = false;
  let out: string | undefined;
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
    else if (flag === '--') continue;
    else throw new Error(`bench: unknown option "${a}". ${USAGE}`);
  }
  const backends: BackendName[] | undefined =
    backend === 'all' ? ['wasm', 'cpu'] : backend === 'cpu' || backend === 'wasm' || backend === 'webgpu' ? [backend] : undefined;
  if (!backends) throw new Error(`bench: option "--backend" must be one of cpu, wasm, webgpu, all, got "${backend}"`);
  return out === undefined ? { backends, quick } : { backends, quick, out };
}

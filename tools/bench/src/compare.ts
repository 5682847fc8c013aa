/**
 * The side-by-side table of one `pnpm bench` run: W1 training and W2 inference
 * tokens/s, the adaptive/fixed time ratio and W1 peak RSS for each of our
 * backends and the PyTorch reference, then the ratios the performance docs
 * quote: native over plain wasm, and ours over PyTorch on one core under the same
 * OpenBLAS environment (variables unset, as on a user's machine, and as this
 * machine sets them; native reads them as PyTorch does), and over PyTorch with its
 * BLAS on every core, as the reference script runs by default (torch.ts says why).
 */
import { blasEnvLabel, type BlasEnv } from './blas-env.js';
import type { BackendResult } from './results.js';
import type { TorchBlasThreads, TorchResult } from './torch.js';

const num = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const gib = (b: number) => `${num(b / 2 ** 30, 2)} GiB`;

interface Row {
  readonly name: string;
  /** The OpenBLAS environment (native without one: the machine's, whatever it is). */
  readonly env?: BlasEnv | undefined;
  readonly native?: boolean;
  readonly torch?: TorchBlasThreads;
  readonly train: number;
  readonly fixed: number;
  readonly ratio: number;
  readonly rss: number;
  /** CPU seconds per wall second (torch rows only). */
  readonly cpuPerWall?: number;
}

/** How the table names a PyTorch run. */
export function torchLabel(env: BlasEnv, threads: TorchBlasThreads): string {
  return `torch 1 thread, BLAS ${threads === 'one' ? '1 thread' : 'default threads'} (${blasEnvLabel(env)})`;
}

function ourName(r: BackendResult): string {
  if (r.backend !== 'native') return r.backend;
  return r.blasEnv ? `wasm+native (${blasEnvLabel(r.blasEnv)})` : 'wasm+native';
}

function rows(ours: readonly BackendResult[], torch: readonly TorchResult[]): Row[] {
  return [
    ...ours.map((r) => ({ name: ourName(r), env: r.blasEnv, native: r.backend === 'native', train: r.w1Train.tokensPerSecond, fixed: r.w2Infer.fixed.tokensPerSecond, ratio: r.w2Infer.timeRatio, rss: r.w4Memory.peakRssBytes })),
    ...torch.map((t) => ({
      name: torchLabel(t.env, t.blasThreads ?? 'default'), env: t.env, torch: t.blasThreads ?? 'default', train: t.trainTokensPerSecond, fixed: t.inferFixedTokensPerSecond,
      ratio: t.adaptiveTimeRatio, rss: t.peakRssBytes, ...(t.cpuPerWall ? { cpuPerWall: t.cpuPerWall } : {}),
    })),
  ];
}

/** The comparison table and the ratio lines; empty when there is nothing to compare. */
export function formatComparison(ours: readonly BackendResult[], torch: readonly TorchResult[]): string {
  const all = rows(ours, torch);
  if (all.length < 2) return '';
  const header = ['engine', 'W1 train tok/s', 'W2 fixed tok/s', 'W2 adaptive/fixed', 'W1 peak RSS', 'CPU s per wall s'];
  const body = all.map((r) => [r.name, num(r.train), num(r.fixed), num(r.ratio, 3), r.rss > 0 ? gib(r.rss) : 'n/a', r.cpuPerWall ? num(r.cpuPerWall, 2) : '']);
  const table = [header, ...body];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ''];
  const plain = all.find((r) => r.name === 'wasm');
  const natives = all.filter((r) => r.native);
  // a native run without a recorded environment ran under the machine's, which is 'unset' where no torch run is 'machine'
  const hasMachine = all.some((x) => x.torch && x.env === 'machine');
  const effective = (env: BlasEnv | undefined): BlasEnv => env ?? (hasMachine ? 'machine' : 'unset');
  const torchIn = (env: BlasEnv, threads: TorchBlasThreads) => all.find((r) => r.torch === threads && r.env === env);
  const pairs: Array<[Row | undefined, Row | undefined]> = [
    ...natives.map((n): [Row, Row | undefined] => [n, plain]),
    ...natives.map((n): [Row, Row | undefined] => [n, torchIn(effective(n.env), 'one')]),
    ...natives.map((n): [Row, Row | undefined] => [n, torchIn(effective(n.env), 'default')]),
    [plain, torchIn('unset', 'one')],
  ];
  for (const [a, b] of pairs) {
    if (a && b) out.push(`${a.name === 'wasm' ? 'plain wasm' : a.name} / ${b.name === 'wasm' ? 'plain wasm' : b.name}: W1 ${num(a.train / b.train, 2)}x, W2 fixed ${num(a.fixed / b.fixed, 2)}x`);
  }
  return out.join('\n');
}

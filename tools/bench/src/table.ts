/** The human-readable summary: one table per backend, with the targets (wasm) beside each figure. */
import type { BackendResult } from './results.js';

/** Targets for the wasm backend on the reference machine (2 cores, one thread). */
export const TARGETS = { trainTokensPerSecond: 2000, inferFixedTokensPerSecond: 6000, adaptiveRatio: 0.35, numTensorsDelta: 0 } as const;

const num = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (b: number) => `${num(b / 2 ** 20)} MiB`;

/** Rows [workload, figure, value, target] for one backend. */
export function summaryRows(r: BackendResult): string[][] {
  const wasm = r.backend === 'wasm' || r.backend === 'native'; // the targets are set for the Node CPU path
  const tgt = (ok: boolean, text: string) => (wasm ? `${text} ${ok ? 'met' : 'MISSED'}` : '');
  const w1 = r.w1Train;
  const w2 = r.w2Infer;
  const m = r.w4Memory;
  const rows: string[][] = [
    ['W1 train', `tokens/s (B=${w1.batch}, T=${w1.length}, ${w1.reps} reps)`, num(w1.tokensPerSecond), tgt(w1.tokensPerSecond >= TARGETS.trainTokensPerSecond, '>= 2,000')],
    ['W1 train', 'step time (median)', `${num(w1.medianStepMs, 1)} ms`, ''],
    ['W1 train', 'GFLOP/s (fwd x 3)', num(w1.gflopsPerSecond, 2), ''],
    ['W2 infer', `fixed depth ${w2.tMax}: tokens/s (B=${w2.batch})`, num(w2.fixed.tokensPerSecond), tgt(w2.fixed.tokensPerSecond >= TARGETS.inferFixedTokensPerSecond, '>= 6,000')],
    ['W2 infer', `adaptive (mean depth ${num(w2.adaptive.meanDepth, 2)}): tokens/s`, num(w2.adaptive.tokensPerSecond), ''],
    ['W2 infer', 'time ratio adaptive/fixed (ideal)', `${num(w2.timeRatio, 3)} (${num(w2.idealRatio, 3)})`, tgt(w2.timeRatio <= TARGETS.adaptiveRatio, '<= 0.35')],
    ['W2 infer', 'GFLOP/s fixed / adaptive (executed)', `${num(w2.fixed.gflopsPerSecond, 2)} / ${num(w2.adaptive.gflopsPerSecond, 2)}`, ''],
    ...r.w3Tasks.map((t) => ['W3 tasks', `${t.task} examples/s (mean len ${num(t.meanLength, 1)})`, num(t.medianExamplesPerSecond), '']),
    ['W4 memory', 'peak RSS during W1', mib(m.peakRssBytes), ''],
    ['W4 memory', `numTensors before/after ${m.leakSteps} steps (B=${m.leakBatch}, T=${m.leakLength})`, `${m.numTensorsBefore} / ${m.numTensorsAfter} (delta ${m.numTensorsDelta})`, tgt(m.numTensorsDelta === 0, 'delta 0')],
    ['W4 memory', 'tensors left after disposing model, policy, trainers', String(m.residualTensorsAfterDispose), ''],
  ];
  return rows;
}

/** A plain-text table for one backend. */
export function formatTable(r: BackendResult): string {
  const header = ['workload', `figure (${r.backend}${r.adapter ? ` on ${r.adapter}` : ''}${r.quick ? ', quick' : ''})`, 'value', 'target'];
  const rows = [header, ...summaryRows(r)];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

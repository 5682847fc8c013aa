/**
 * Per-kernel profile of the benchmark workloads: one W1 training step and one W2
 * inference (fixed and adaptive) under `tf.profile`, kernel times summed by kernel
 * name (registered kernels only: scopes such as custom gradients would double count). "untracked" = wall time minus the sum of kernel times (JavaScript: tape,
 * tidy, gradient bookkeeping, collate, policy host code, dataSync waits).
 */
import * as tf from '@tensorflow/tfjs-core';
import { aniraO, createForcedDepthPolicy } from '@anira/halting';
import { collate, infer, LoopedTransformer, Trainer } from '@anira/model';
import type { BenchSizes } from './sizes.js';
import { clippedGeometricDepths, syntheticExample } from './synthetic.js';

export interface KernelShare {
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
}

export interface PhaseProfile {
  readonly phase: string;
  readonly wallMs: number;
  readonly kernelMs: number;
  /** Kernels sorted by total time, descending. */
  readonly kernels: readonly KernelShare[];
  /** The same, split by input shapes (`BatchMatMul [256,64,32] [256,32,64]`). */
  readonly byShape: readonly KernelShare[];
}

async function profiled(phase: string, fn: () => void): Promise<PhaseProfile> {
  const t0 = performance.now();
  const info = await tf.profile(() => {
    fn();
    return [];
  });
  const wallMs = performance.now() - t0;
  const backend = tf.getBackend();
  const by = new Map<string, { calls: number; ms: number }>();
  const shapes = new Map<string, { calls: number; ms: number }>();
  const add = (m: Map<string, { calls: number; ms: number }>, key: string, ms: number) => {
    const e = m.get(key) ?? { calls: 0, ms: 0 };
    e.calls += 1;
    e.ms += ms;
    m.set(key, e);
  };
  for (const k of info.kernels) {
    // Only registered kernels: custom-gradient and op scopes ("forward", "unnamed scope", "*__op") wrap other kernels.
    if (!tf.getKernel(k.name, backend)) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    add(by, k.name, ms);
    add(shapes, `${k.name} ${k.inputShapes.map((s) => `[${s?.join(',') ?? ''}]`).join(' ')}`, ms);
  }
  const sorted = (m: Map<string, { calls: number; ms: number }>) =>
    [...m].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms);
  const kernels = sorted(by);
  return { phase, wallMs, kernelMs: kernels.reduce((s, k) => s + k.ms, 0), kernels, byShape: sorted(shapes) };
}

/** Profile one (warmed-up) training step and one inference of each kind. */
export async function profileWorkloads(sizes: BenchSizes): Promise<PhaseProfile[]> {
  const cfg = sizes.model;
  const { length } = sizes;
  const model = new LoopedTransformer(cfg);
  const policy = aniraO({ dModel: cfg.dModel, vocabSize: cfg.vocabSize, tMax: cfg.tMax, seed: 2 });
  const trainer = new Trainer({
    model, policy, maxLength: length, example: (i) => syntheticExample(i, length, cfg.vocabSize),
    config: { batchSize: sizes.trainBatch, steps: 1_000_000, evalEvery: 0, seed: 3 },
  });
  const batch = collate(Array.from({ length: sizes.inferBatch }, (_, i) => syntheticExample(i, length, cfg.vocabSize, 7)), length);
  const depths = clippedGeometricDepths(sizes.inferBatch * length, sizes.adaptiveMeanDepth, cfg.tMax, 11);
  const fixed = createForcedDepthPolicy(() => cfg.tMax);
  const adaptive = createForcedDepthPolicy((b, t) => depths[b * length + t]!);
  try {
    trainer.trainStep();
    infer(model, fixed, batch);
    infer(model, adaptive, batch);
    return [
      await profiled('W1 train step', () => void trainer.trainStep()),
      await profiled('W2 infer fixed', () => void infer(model, fixed, batch)),
      await profiled('W2 infer adaptive', () => void infer(model, adaptive, batch)),
    ];
  } finally {
    trainer.dispose();
    policy.dispose();
    model.dispose();
  }
}

/** Text rendering: per phase, the top `top` kernels with their share of wall time. */
export function formatProfile(p: PhaseProfile, top = 12): string {
  const pct = (ms: number) => `${((100 * ms) / p.wallMs).toFixed(1)}%`;
  const lines = [`${p.phase}: wall ${p.wallMs.toFixed(1)} ms, kernels ${p.kernelMs.toFixed(1)} ms, untracked ${(p.wallMs - p.kernelMs).toFixed(1)} ms (${pct(p.wallMs - p.kernelMs)})`];
  const row = (k: KernelShare, w: number) => `  ${k.kernel.padEnd(w)} ${String(k.calls).padStart(5)} calls ${k.ms.toFixed(1).padStart(9)} ms ${pct(k.ms).padStart(6)}`;
  for (const k of p.kernels.slice(0, top)) lines.push(row(k, 22));
  lines.push('  by input shapes:');
  for (const k of p.byShape.slice(0, top)) lines.push(row(k, 52));
  return lines.join('\n');
}

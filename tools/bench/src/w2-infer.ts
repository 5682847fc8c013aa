/**
 * W2 (inference throughput): the W1 model with compute-skipping `infer`, once at
 * fixed depth tMax for every token, once with forced per-token depths from a
 * clipped geometric distribution (seeded). The time ratio adaptive/fixed is
 * reported beside the ideal ratio (mean realised depth / tMax). The two calls
 * alternate, repetition by repetition (`timeAlternating`).
 */
import { createForcedDepthPolicy, type HaltingPolicy } from '@anira/halting';
import { collate, infer, inferAsync, LoopedTransformer, type InferResult } from '@anira/model';
import type { BenchSizes, RepCounts } from './sizes.js';
import * as tf from '@tensorflow/tfjs-core';
import { timeAlternating, type Timing } from './stats.js';
import { clippedGeometricDepths, syntheticExample } from './synthetic.js';

export interface InferRun {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
  readonly tokensPerSecond: number;
  /** Mean exit depth over all tokens, as executed. */
  readonly meanDepth: number;
  /** Executed FLOPs (the model's per-token count, summed) per second. */
  readonly gflopsPerSecond: number;
}

export interface InferWorkloadResult {
  readonly batch: number;
  readonly length: number;
  readonly tMax: number;
  readonly warmup: number;
  readonly reps: number;
  readonly fixed: InferRun;
  readonly adaptive: InferRun;
  /** adaptive median time / fixed median time. */
  readonly timeRatio: number;
  /** adaptive mean depth / tMax: the ratio if time were proportional to executed iterations. */
  readonly idealRatio: number;
}

/** Run W2 on the current backend (webgpu: `inferAsync`, as the CLI does). */
export async function runInference(sizes: BenchSizes, counts: RepCounts): Promise<InferWorkloadResult> {
  const asyncReads = tf.getBackend() === 'webgpu';
  const cfg = sizes.model;
  const { inferBatch: b, length } = sizes;
  const model = new LoopedTransformer(cfg);
  const batch = collate(Array.from({ length: b }, (_, i) => syntheticExample(i, length, cfg.vocabSize, 7)), length);
  const depths = clippedGeometricDepths(b * length, sizes.adaptiveMeanDepth, cfg.tMax, 11);
  const fixed = createForcedDepthPolicy(() => cfg.tMax, 'fixed-depth');
  const adaptive = createForcedDepthPolicy((row, t) => depths[row * length + t]!, 'clipped-geometric');
  // one workload per policy: its call, and the depth and FLOPs of its last result
  const workload = (policy: HaltingPolicy) => {
    let meanDepth = 0;
    let flops = 0;
    const record = (r: InferResult) => {
      meanDepth = r.exitDepth.reduce((s, d) => s + d, 0) / r.exitDepth.length;
      flops = r.flops.reduce((s, f) => s + f, 0);
    };
    const call = asyncReads
      ? async () => record(await inferAsync(model, policy, batch, { tMax: cfg.tMax }))
      : () => record(infer(model, policy, batch, { tMax: cfg.tMax }));
    const summary = (timing: Timing): InferRun => {
      const sec = timing.medianMs / 1000;
      return { ...timing, tokensPerSecond: (b * length) / sec, meanDepth, gflopsPerSecond: flops / sec / 1e9 };
    };
    return { call, summary };
  };
  const [wf, wa] = [workload(fixed), workload(adaptive)];
  try {
    // fixed and adaptive calls alternate, so that their ratio compares calls under the same load
    const [tFixed, tAdaptive] = await timeAlternating([wf.call, wa.call], counts);
    const f = wf.summary(tFixed!);
    const a = wa.summary(tAdaptive!);
    return {
      batch: b, length, tMax: cfg.tMax, warmup: counts.warmup, reps: counts.reps, fixed: f, adaptive: a,
      timeRatio: a.medianMs / f.medianMs, idealRatio: a.meanDepth / cfg.tMax,
    };
  } finally {
    model.dispose();
  }
}

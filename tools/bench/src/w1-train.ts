/**
 * W1 (training throughput) and W4 (memory): an ANIRA-O policy (PonderNet-style
 * halting distribution + KL-to-geometric loss) on the looped Transformer, trained
 * by @anira/model's `Trainer` (the same `trainStep` as real training: collate,
 * differentiable forward, clipping, Adam). W1 times `reps` full-size steps after
 * warm-up (which allocates Adam's moments), sampling RSS after each. W4's leak
 * check then trains the same model `leakSteps` more steps at a small batch (the
 * tensor count is independent of batch size, and 100 full-size steps would take
 * minutes) and compares `tf.memory().numTensors` before and after.
 */
import * as tf from '@tensorflow/tfjs-core';
import { aniraO, type HaltingPolicy } from '@anira/halting';
import { LoopedTransformer, Trainer } from '@anira/model';
import { trainStepFlops } from './flops.js';
import { processMaxRssBytes, RssSampler } from './memory.js';
import type { BenchSizes, RepCounts } from './sizes.js';
import { timeReps, timeRepsAsync } from './stats.js';
import { syntheticExample } from './synthetic.js';

export interface TrainResult {
  readonly batch: number;
  readonly length: number;
  readonly policy: string;
  readonly warmup: number;
  readonly reps: number;
  readonly medianStepMs: number;
  readonly samplesMs: readonly number[];
  readonly tokensPerSecond: number;
  /** Forward FLOPs x 3 per step (see flops.ts). */
  readonly flopsPerStep: number;
  readonly gflopsPerSecond: number;
}

export interface MemoryResult {
  /** Highest RSS sampled after each W1 step (bytes). */
  readonly peakRssBytes: number;
  /** The process's lifetime peak RSS after W1 (bytes; includes everything run before). */
  readonly processMaxRssBytes: number;
  readonly leakSteps: number;
  readonly leakBatch: number;
  readonly leakLength: number;
  readonly numTensorsBefore: number;
  readonly numTensorsAfter: number;
  /** after - before; must be 0. */
  readonly numTensorsDelta: number;
  /**
   * Tensors still alive after disposing the trainers, policy and model, relative
   * to before they were created (one-off allocations nobody frees; not per step).
   */
  readonly residualTensorsAfterDispose: number;
}

function trainer(model: LoopedTransformer, policy: HaltingPolicy, batch: number, length: number): Trainer {
  return new Trainer({
    model, policy, maxLength: length,
    example: (i) => syntheticExample(i, length, model.config.vocabSize),
    config: { batchSize: batch, steps: 1_000_000, evalEvery: 0, seed: 3 },
  });
}

/** Run W1 and W4 on the current backend (webgpu: `trainStepAsync`, as the CLI does). */
export async function runTraining(sizes: BenchSizes, counts: RepCounts): Promise<{ train: TrainResult; memory: MemoryResult }> {
  const asyncReads = tf.getBackend() === 'webgpu';
  const step = async (t: Trainer) => {
    if (asyncReads) await t.trainStepAsync();
    else t.trainStep();
  };
  const cfg = sizes.model;
  const { trainBatch: batch, length } = sizes;
  const initial = tf.memory().numTensors;
  const model = new LoopedTransformer(cfg);
  const policy = aniraO({ dModel: cfg.dModel, vocabSize: cfg.vocabSize, tMax: cfg.tMax, seed: 2 });
  const main = trainer(model, policy, batch, length);
  const leak = trainer(model, policy, sizes.leakBatch, sizes.leakLength);
  const rss = new RssSampler();
  let result: { train: TrainResult; memory: Omit<MemoryResult, 'residualTensorsAfterDispose'> };
  try {
    const timing = asyncReads
      ? await timeRepsAsync(async () => {
          await step(main);
          rss.sample();
        }, counts)
      : timeReps(() => {
          main.trainStep();
          rss.sample();
        }, counts);
    const peakRssBytes = rss.peakBytes;
    await step(leak); // allocates this trainer's Adam moments
    const before = tf.memory().numTensors;
    for (let i = 0; i < sizes.leakSteps; i++) await step(leak);
    const after = tf.memory().numTensors;
    const sec = timing.medianMs / 1000;
    const flopsPerStep = trainStepFlops(cfg, batch, length);
    result = {
      train: {
        batch, length, policy: policy.name, warmup: counts.warmup, reps: counts.reps, medianStepMs: timing.medianMs,
        samplesMs: timing.samplesMs, tokensPerSecond: (batch * length) / sec, flopsPerStep, gflopsPerSecond: flopsPerStep / sec / 1e9,
      },
      memory: {
        peakRssBytes, processMaxRssBytes: processMaxRssBytes(), leakSteps: sizes.leakSteps,
        leakBatch: sizes.leakBatch, leakLength: sizes.leakLength,
        numTensorsBefore: before, numTensorsAfter: after, numTensorsDelta: after - before,
      },
    };
  } finally {
    main.dispose();
    leak.dispose();
    policy.dispose();
    model.dispose();
  }
  return { train: result.train, memory: { ...result.memory, residualTensorsAfterDispose: tf.memory().numTensors - initial } };
}

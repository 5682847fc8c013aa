/**
 * Workload sizes and repetition counts. `benchSizes()` is the specification's
 * full size (W1: batch 32, W2: batch 64, sequence 64, d_model 128, 4 heads, MLP 512,
 * T_max 8, vocabulary 32); `tinySizes()` is for the correctness test only.
 */
import { defaultModelConfig, type ModelConfig } from '@anira/model';

/** `native`: the wasm backend with @anira/native's kernels. */
export type BackendName = 'cpu' | 'wasm' | 'native' | 'webgpu';

export interface BenchSizes {
  readonly model: ModelConfig;
  /** W1 training batch. */
  readonly trainBatch: number;
  /** W2 inference batch. */
  readonly inferBatch: number;
  /** Sequence length of every W1/W2 example. */
  readonly length: number;
  /** Mean of the clipped geometric forced depths (W2 adaptive). */
  readonly adaptiveMeanDepth: number;
  /** W4: training steps between the two tensor counts. */
  readonly leakSteps: number;
  /** W4: batch and sequence length of the leak-check steps (the tensor count does not depend on them). */
  readonly leakBatch: number;
  readonly leakLength: number;
  /** W3: minimum milliseconds of generation per timed repetition. */
  readonly taskRepMs: number;
}

export interface RepCounts {
  readonly warmup: number;
  readonly reps: number;
}

export interface BenchPlan {
  readonly sizes: BenchSizes;
  readonly train: RepCounts;
  readonly infer: RepCounts;
  readonly tasks: RepCounts;
}

const model = (dModel: number, dMlp: number, length: number): ModelConfig =>
  defaultModelConfig({
    vocabSize: 32, maxLength: length, dModel, nHeads: 4, dMlp, sharedLayers: 1, preludeLayers: 0,
    tMax: 8, attention: 'causal', positions: 'learned', seed: 1,
  });

/** The specification's sizes. */
export function benchSizes(): BenchSizes {
  return { model: model(128, 512, 64), trainBatch: 32, inferBatch: 64, length: 64, adaptiveMeanDepth: 2, leakSteps: 100, leakBatch: 2, leakLength: 8, taskRepMs: 200 };
}

/** A tiny configuration with the same structure (tests). */
export function tinySizes(): BenchSizes {
  return { model: model(16, 32, 8), trainBatch: 2, inferBatch: 2, length: 8, adaptiveMeanDepth: 2, leakSteps: 3, leakBatch: 2, leakLength: 4, taskRepMs: 2 };
}

/**
 * Repetitions: 1 warm-up, then 5 timed repetitions (3 with `quick`), except the
 * cpu backend's W1/W2: a full-size training step takes 25-80 s there, so it runs
 * 2 timed repetitions (1 with `quick`) and `pnpm bench` still finishes in minutes;
 * webgpu too (a software adapter such as SwiftShader is slower still).
 */
export function benchPlan(backend: BackendName, quick: boolean, sizes: BenchSizes = benchSizes()): BenchPlan {
  const slow = backend !== 'wasm' && backend !== 'native'; // cpu, and webgpu on a software adapter
  const reps = quick ? (slow ? 1 : 3) : slow ? 2 : 5;
  return {
    sizes,
    train: { warmup: 1, reps },
    // W2's ratio of two medians: more repetitions where a call takes well under a second
    infer: { warmup: 1, reps: slow ? reps : quick ? 5 : 21 },
    tasks: { warmup: 1, reps: quick ? 3 : 5 },
  };
}

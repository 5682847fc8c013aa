/**
 * Stacked seeds against sequential seeds: K replicas of one config trained for
 * `steps` updates as K lone `Trainer` runs one after the other, then as ONE
 * `StackedTrainer` (weights `[K, ...]`, one batched forward per update). Both
 * warm up first (Adam's moments, kernel compilation); the figure is wall time
 * per update of all K seeds, and the speed-up of stacking.
 */
import * as tf from '@tensorflow/tfjs-core';
import { aniraO } from '@anira/halting';
import { defaultModelConfig, LoopedTransformer, StackedTrainer, Trainer, type ModelConfig } from '@anira/model';
import { syntheticExample } from './synthetic.js';

export interface SeedsOptions {
  readonly k: number;
  readonly batch: number;
  readonly length: number;
  readonly steps: number;
  readonly warmup: number;
  readonly model: ModelConfig;
}

export interface SeedsResult extends Omit<SeedsOptions, 'model'> {
  readonly backend: string;
  readonly dModel: number;
  readonly tMax: number;
  /** ms per update of all K seeds. */
  readonly sequentialMsPerUpdate: number;
  readonly stackedMsPerUpdate: number;
  /** Training tokens per second over all seeds. */
  readonly sequentialTokensPerSecond: number;
  readonly stackedTokensPerSecond: number;
  /** sequential / stacked time. */
  readonly speedup: number;
}

/** The paper-size model (d 64, MLP 256, 4 heads, prelude 1, T_max 6) at sequence `length`. */
export const paperModel = (length: number, seed = 0): ModelConfig =>
  defaultModelConfig({ vocabSize: 16, maxLength: length, dModel: 64, nHeads: 4, dMlp: 256, preludeLayers: 1, sharedLayers: 1, tMax: 6, seed });

const replica = (o: SeedsOptions, seed: number) => {
  const model = new LoopedTransformer({ ...o.model, seed });
  const policy = aniraO({ dModel: o.model.dModel, vocabSize: o.model.vocabSize, tMax: o.model.tMax, seed });
  const example = (i: number) => syntheticExample(i, o.length, o.model.vocabSize, seed);
  return { model, policy, example, config: { batchSize: o.batch, steps: 1_000_000, evalEvery: 0, seed } };
};

/** Measure K sequential lone runs against one stacked run on the current backend. */
export async function measureSeeds(o: SeedsOptions): Promise<SeedsResult> {
  const asyncReads = tf.getBackend() === 'webgpu';
  const seeds = Array.from({ length: o.k }, (_, i) => i);
  let sequential = 0;
  for (const seed of seeds) {
    const r = replica(o, seed);
    const t = new Trainer({ ...r, maxLength: o.length });
    const step = async () => (asyncReads ? t.trainStepAsync() : t.trainStep());
    for (let i = 0; i < o.warmup; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < o.steps; i++) await step();
    sequential += performance.now() - t0;
    t.dispose();
    r.policy.dispose();
    r.model.dispose();
  }
  const reps = seeds.map((s) => replica(o, s));
  const st = new StackedTrainer({ replicas: reps, maxLength: o.length });
  const step = async () => (asyncReads ? st.runAsync(st.step + 1) : st.run(st.step + 1));
  for (let i = 0; i < o.warmup; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < o.steps; i++) await step();
  const stacked = performance.now() - t0;
  st.dispose();
  for (const r of reps) {
    r.policy.dispose();
    r.model.dispose();
  }
  const tokens = o.k * o.steps * o.batch * o.length;
  const { model, ...rest } = o;
  return {
    ...rest, backend: tf.getBackend(), dModel: model.dModel, tMax: model.tMax,
    sequentialMsPerUpdate: sequential / o.steps, stackedMsPerUpdate: stacked / o.steps,
    sequentialTokensPerSecond: tokens / (sequential / 1000), stackedTokensPerSecond: tokens / (stacked / 1000),
    speedup: sequential / stacked,
  };
}

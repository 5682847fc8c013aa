/**
 * Device work per training update and per inference call (GPU programs
 * dispatched, GPU buffers created, device→host reads; see @anira/tensor's
 * device-counters), on the W1/W2 model. Counted after one warm-up call each (the
 * first call compiles shaders and fills the buffer pool), so the figures are the
 * steady state. Counts, never times: `pnpm bench` prints them beside the timings.
 */
import * as tf from '@tensorflow/tfjs-core';
import { aniraO, createForcedDepthPolicy, type HaltingPolicy } from '@anira/halting';
import { collate, infer, inferAsync, LoopedTransformer, Trainer } from '@anira/model';
import { countDeviceWork, type DeviceCounts } from '@anira/tensor';
import type { BenchSizes } from './sizes.js';
import { clippedGeometricDepths, syntheticExample } from './synthetic.js';

export interface WorkCounts {
  /** One `trainStep` / `trainStepAsync` call (a lone step reads its own log entry). */
  readonly trainStep: DeviceCounts;
  /** A `run` / `runAsync` of `runUpdates` updates, divided by `runUpdates` (what a training run costs per update). */
  readonly trainRunPerUpdate: DeviceCounts;
  readonly runUpdates: number;
  /** One inference call at fixed depth tMax. */
  readonly inferFixed: DeviceCounts;
  /** One inference call with the W2 forced geometric depths. */
  readonly inferAdaptive: DeviceCounts;
}

const per = (c: DeviceCounts, n: number): DeviceCounts => ({ programs: c.programs / n, buffers: c.buffers / n, reads: c.reads / n });

/** Count the device work of W1's update and W2's calls on the active backend (async reads on webgpu, as the CLI does). */
export async function measureCounts(sizes: BenchSizes, runUpdates = 10): Promise<WorkCounts> {
  const asyncReads = tf.getBackend() === 'webgpu';
  const cfg = sizes.model;
  const { trainBatch, inferBatch, length } = sizes;
  const model = new LoopedTransformer(cfg);
  const policy = aniraO({ dModel: cfg.dModel, vocabSize: cfg.vocabSize, tMax: cfg.tMax, seed: 2 });
  const trainer = new Trainer({
    model, policy, maxLength: length,
    example: (i) => syntheticExample(i, length, cfg.vocabSize),
    config: { batchSize: trainBatch, steps: 1_000_000, evalEvery: 0, seed: 3 },
  });
  try {
    const step = async () => (asyncReads ? trainer.trainStepAsync() : trainer.trainStep());
    await step(); // warm-up: Adam's moments, shaders, buffer pool
    const trainStep = (await countDeviceWork(step)).counts;
    const until = trainer.step + runUpdates;
    const run = (await countDeviceWork(async () => (asyncReads ? trainer.runAsync(until) : trainer.run(until)))).counts;

    const batch = collate(Array.from({ length: inferBatch }, (_, i) => syntheticExample(i, length, cfg.vocabSize, 7)), length);
    const depths = clippedGeometricDepths(inferBatch * length, sizes.adaptiveMeanDepth, cfg.tMax, 11);
    const call = async (p: HaltingPolicy) => {
      const once = async () => (asyncReads ? inferAsync(model, p, batch, { tMax: cfg.tMax }) : infer(model, p, batch, { tMax: cfg.tMax }));
      await once();
      return (await countDeviceWork(once)).counts;
    };
    const inferFixed = await call(createForcedDepthPolicy(() => cfg.tMax, 'fixed-depth'));
    const inferAdaptive = await call(createForcedDepthPolicy((row, t) => depths[row * length + t]!, 'clipped-geometric'));
    return { trainStep, trainRunPerUpdate: per(run, runUpdates), runUpdates, inferFixed, inferAdaptive };
  } finally {
    trainer.dispose();
    policy.dispose();
    model.dispose();
  }
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const cells = (c: DeviceCounts) => [fmt(c.programs), fmt(c.buffers), fmt(c.reads)];

/** Rows [work, programs, buffers, reads]. */
export function countRows(c: WorkCounts): string[][] {
  return [
    ['W1 one trainStep call', ...cells(c.trainStep)],
    [`W1 per update in a run of ${c.runUpdates}`, ...cells(c.trainRunPerUpdate)],
    ['W2 one fixed-depth inference call', ...cells(c.inferFixed)],
    ['W2 one adaptive inference call', ...cells(c.inferAdaptive)],
  ];
}

/** A plain-text table of the counts. */
export function formatCounts(c: WorkCounts): string {
  const rows = [['device work', 'GPU programs', 'GPU buffers created', 'device→host reads'], ...countRows(c)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')).join('\n');
}

/**
 * The Node side of the GPU check (gpu-check.sh runs it from the kit's bundle, one
 * part per process so a failing part loses nothing else). Each part prints one
 * JSON line on stdout; progress goes to stderr.
 *
 *   check.mjs adapter                      the WebGPU adapter tfjs runs on
 *   check.mjs w1w2 [--tiny]                W1 training tokens/s (a run of updates,
 *                                          read as a training run reads), W2 fixed and
 *                                          adaptive inference, device work counts
 *   check.mjs paper --batch B [--tiny]     the paper-size model on dyck (d 64,
 *                                          prelude 1, T_max 6): ms per update
 *   check.mjs paper-length [--tiny]        that model's sequence length (for PyTorch)
 *   check.mjs report <dir>                 results.json + results.md from the parts' files
 *
 * Timings: warm-up updates first (shader compilation, Adam's moments, buffer
 * pool), then `runAsync` over the timed updates, whose last read waits for the
 * GPU, divided by their number. `--tiny` shrinks every size (the SwiftShader
 * rehearsal of the script on a machine without a GPU).
 */
import * as tf from '@tensorflow/tfjs-core';
import { aniraO } from '@anira/halting';
import { setupBackend } from '@anira/cli';
import { defaultModelConfig, LoopedTransformer, Trainer, type TrainerOptions } from '@anira/model';
import { deriveExampleSeed, generateExample, getTask } from '@anira/tasks';
import { countsBetween, deviceCounts, type DeviceCounts } from '@anira/tensor';
import { measureCounts } from '../../src/counts.js';
import { benchSizes, tinySizes } from '../../src/sizes.js';
import { syntheticExample } from '../../src/synthetic.js';
import { runInference } from '../../src/w2-infer.js';
import { writeReport } from './report.js';

interface Options {
  readonly tiny: boolean;
  readonly batch: number;
}

const log = (s: string) => process.stderr.write(`[gpu-check] ${s}\n`);

function parse(argv: readonly string[]): { part: string; rest: string[]; options: Options } {
  const [part = '', ...rest] = argv;
  let tiny = false;
  let batch = 32;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--tiny') tiny = true;
    else if (rest[i] === '--batch') {
      batch = Number(rest[++i]);
      if (!Number.isInteger(batch) || batch < 1 || batch > 65536) throw new Error(`check: "--batch" must be an integer in [1, 65536], got ${rest[i]}`);
    }
  }
  return { part, rest, options: { tiny, batch } };
}

/** Updates per read in the timed runs: what `anira train` uses (TRAIN_READ_EVERY), beside 1 (every update read, as before). */
const READ_EVERY = 10;

/** Train `warmup` then `timed` updates with `runAsync` reading every `readEvery`; ms per timed update and the device work per update. */
async function timeRun(options: Omit<TrainerOptions, 'config' | 'readEvery'> & { readonly batch: number }, warmup: number, timed: number, readEvery: number) {
  const trainer = new Trainer({ ...options, readEvery, config: { batchSize: options.batch, steps: warmup + timed, evalEvery: 0, warmupSteps: 1, seed: 3 } });
  try {
    await trainer.runAsync(warmup);
    const before: DeviceCounts = deviceCounts();
    const t0 = performance.now();
    await trainer.runAsync(warmup + timed);
    const ms = (performance.now() - t0) / timed;
    const c = countsBetween(before, deviceCounts());
    return { ms, perUpdate: { programs: c.programs / timed, buffers: c.buffers / timed, reads: c.reads / timed } };
  } finally {
    trainer.dispose();
  }
}

/** `timeRun` reading every READ_EVERY updates (msPerUpdate, perUpdate) and every update (msPerUpdateReadEach, perUpdateReadEach). */
async function timeUpdates(options: Omit<TrainerOptions, 'config' | 'readEvery'> & { readonly batch: number }, warmup: number, timed: number) {
  const each = await timeRun(options, warmup, timed, 1);
  const interval = await timeRun(options, warmup, timed, READ_EVERY);
  return {
    updates: timed, readEvery: READ_EVERY, msPerUpdate: interval.ms, perUpdate: interval.perUpdate,
    msPerUpdateReadEach: each.ms, perUpdateReadEach: each.perUpdate,
  };
}

async function w1w2(o: Options) {
  const sizes = o.tiny ? tinySizes() : benchSizes();
  const cfg = sizes.model;
  const model = new LoopedTransformer(cfg);
  const policy = aniraO({ dModel: cfg.dModel, vocabSize: cfg.vocabSize, tMax: cfg.tMax, seed: 2 });
  try {
    log(`W1: ${o.tiny ? 'tiny' : 'full'} sizes, batch ${sizes.trainBatch}, length ${sizes.length}`);
    const w1 = await timeUpdates(
      { model, policy, batch: sizes.trainBatch, maxLength: sizes.length, example: (i) => syntheticExample(i, sizes.length, cfg.vocabSize) },
      o.tiny ? 1 : 3, o.tiny ? 2 : 20,
    );
    log('W2: fixed and adaptive inference');
    const w2 = await runInference(sizes, { warmup: 1, reps: o.tiny ? 1 : 10 });
    log('device work counts');
    const counts = await measureCounts(sizes, o.tiny ? 2 : 10);
    return {
      w1: { batch: sizes.trainBatch, length: sizes.length, ...w1, tokensPerSecond: (sizes.trainBatch * sizes.length * 1000) / w1.msPerUpdate },
      w2: {
        batch: w2.batch, length: w2.length, tMax: w2.tMax, fixedTokensPerSecond: w2.fixed.tokensPerSecond,
        adaptiveTokensPerSecond: w2.adaptive.tokensPerSecond, meanDepth: w2.adaptive.meanDepth, timeRatio: w2.timeRatio, idealRatio: w2.idealRatio,
      },
      counts,
    };
  } finally {
    policy.dispose();
    model.dispose();
  }
}

/** The paper-size dyck setup: task default params, d 64, 4 heads, prelude 1, T_max 6 (tiny: d 16, T_max 2). */
function paperSetup(o: Options) {
  const task = getTask('dyck');
  const params = task.resolveParams({});
  const maxLength = task.maxLength(params);
  const config = defaultModelConfig({
    vocabSize: task.vocab.size, maxLength, dModel: o.tiny ? 16 : 64, nHeads: 4, preludeLayers: 1, tMax: o.tiny ? 2 : 6, seed: 0,
  });
  return { task, params, maxLength, config };
}

async function paper(o: Options) {
  const { task, params, maxLength, config } = paperSetup(o);
  const model = new LoopedTransformer(config);
  const policy = aniraO({ dModel: config.dModel, vocabSize: config.vocabSize, tMax: config.tMax, seed: 0 });
  try {
    log(`paper model on dyck: batch ${o.batch}, length ${maxLength}, d ${config.dModel}, T_max ${config.tMax}`);
    const r = await timeUpdates(
      { model, policy, batch: o.batch, maxLength, example: (i) => generateExample(task, params, deriveExampleSeed(0, i)) },
      o.tiny ? 1 : 3, o.tiny ? 2 : 15,
    );
    return { batch: o.batch, length: maxLength, dModel: config.dModel, tMax: config.tMax, ...r, tokensPerSecond: (o.batch * maxLength * 1000) / r.msPerUpdate };
  } finally {
    policy.dispose();
    model.dispose();
  }
}

async function main(): Promise<void> {
  const { part, rest, options } = parse(process.argv.slice(2));
  if (part === 'report') {
    const dir = rest[0];
    if (dir === undefined) throw new Error('check: "report" needs the results folder');
    writeReport(dir);
    return;
  }
  if (part === 'paper-length') {
    console.log(JSON.stringify({ part, length: paperSetup(options).maxLength }));
    return;
  }
  const started = performance.now();
  const info = await setupBackend('webgpu');
  log(`adapter: ${info.adapter ?? '?'}`);
  let result: unknown;
  if (part === 'adapter') result = { tfjsBackend: tf.getBackend() };
  else if (part === 'w1w2') result = await w1w2(options);
  else if (part === 'paper') result = await paper(options);
  else throw new Error(`check: unknown part "${part}" (adapter, w1w2, paper, paper-length, report)`);
  console.log(JSON.stringify({ part, adapter: info.adapter ?? null, tiny: options.tiny, ...(result as object), wallMs: performance.now() - started }));
}

main().then(
  () => process.exit(0), // Dawn can keep the event loop alive after the work is done
  (e: unknown) => {
    console.error(`[gpu-check] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);

/**
 * The training loop. Each update: batch from examples `step*batchSize + i` (the
 * data stream is a pure function of the step, so resuming needs no RNG state),
 * differentiable forward (`forward.ts`), gradient clipping by global norm, Adam
 * with warmup + cosine schedule. One `tf.tidy` per step; zero tensor growth.
 * Checkpoints hold weights (model + policy), optimizer state, step and configs.
 * Steps, evaluation and the run loop are written once as read loops
 * (read-loop.ts): `trainStep`/`run` read scalars with `dataSync`,
 * `trainStepAsync`/`runAsync` with `await data()` (browsers, WebGPU). With
 * `readEvery` n > 1 a run reads once per n updates (training-core-interval.ts: the stats stay
 * on the device until then, and a non-finite update rolls the interval back). The step
 * counter, optimizer, early stopping, checkpoints and a run's after-update
 * bookkeeping come from `TrainingCore` (training-core.ts), shared with `ParallelTrainer`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm } from '@anira/tensor';
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import { collate } from './batch.js';
import { batchGradients } from './batch-gradients.js';
import { haltingPhase } from './schedule.js';
import { tidyTyped } from './tidy.js';
import type { EvalResult } from './evaluate.js';
import type { LoopedTransformer } from './model.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';
import { defaultTrainerConfig, type TrainerConfig } from './trainer-config.js';
import { TrainingCore, type TrainLogEntry, type TrainProgress, type TrainRunResult } from './training-core.js';
import { checkFinite, disposeSnapshot, logEntry, restoreSnapshot, takeSnapshot, type PendingUpdate } from './training-core-interval.js';

export type { TrainLogEntry, TrainProgress, TrainRunResult };

export interface TrainerOptions {
  readonly model: LoopedTransformer;
  readonly policy: HaltingPolicy;
  /** Training example number `index` (deterministic). */
  readonly example: (index: number) => Example;
  readonly config?: Partial<TrainerConfig>;
  /** Fixed held-out set for evaluation and early stopping. */
  readonly evalExamples?: readonly Example[];
  /** Pad every batch to this length (default: longest in the batch). */
  readonly maxLength?: number;
  /**
   * Extra JSON saved in checkpoints (task name and params, policy definition...).
   * Its own enumerable properties are read each time a checkpoint is written, so a
   * getter may supply state that changes during training (the CLI's gated
   * curriculum saves its openings this way); a test pins this.
   */
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly onLog?: (entry: TrainLogEntry) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
  /**
   * Updates per device→host read in `run` / `runAsync` (default 1: each update's
   * loss and gradient norm are read and checked before it is applied). With n > 1
   * the n updates' statistics stay on the device and are read together (one read),
   * then logged in order; a non-finite one rolls the weights and optimizer back to
   * the start of the interval, so a NaN can go unseen for at most n - 1 updates and
   * never outlives its interval. An interval also ends at an evaluation and at the
   * run's last update. `trainStep` always reads its own update.
   */
  readonly readEvery?: number;
}

/** Largest `readEvery`. */
export const MAX_READ_EVERY = 10_000;

/**
 * Trains a `LoopedTransformer` with a halting policy on a deterministic example stream:
 * Adam with warmup and cosine decay, global-norm clipping, a check for non-finite loss
 * and gradient norm before every update, held-out evaluation, patience early stopping
 * with best-weights keeping, and checkpoints that resume bit-identically. `run` and
 * `trainStep` read synchronously; `runAsync` and `trainStepAsync` with `await data()`
 * (WebGPU, browsers). For several threads see `createParallelTrainer` in `@anira/model/node`.
 */
export class Trainer extends TrainingCore {
  /** Updates per device→host read in a run (see `TrainerOptions.readEvery`). */
  readonly readEvery: number;

  constructor(private readonly options: TrainerOptions) {
    super(options.model, options.policy, defaultTrainerConfig(options.config), options.meta,
      'Trainer: an async step or run is still in progress; await it first');
    const n = options.readEvery ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_READ_EVERY) throw new Error(`Trainer: "readEvery" must be an integer in [1, ${MAX_READ_EVERY}], got ${String(n)}`);
    this.readEvery = n;
  }

  /** Run one update; returns its log entry. */
  trainStep(): TrainLogEntry {
    return this.drive(this.stepLoop(), runSync);
  }

  /** `trainStep` reading its scalars with `await data()`: the same update and log values. */
  trainStepAsync(): Promise<TrainLogEntry> {
    return this.driveAsync(this.stepLoop());
  }

  /** Held-out evaluation (skipping inference). */
  evaluate(): EvalResult | undefined {
    return this.drive(this.evalLoop(this.options.evalExamples), runSync);
  }

  /** `evaluate` with asynchronous reads. */
  evaluateAsync(): Promise<EvalResult | undefined> {
    return this.driveAsync(this.evalLoop(this.options.evalExamples));
  }

  /**
   * Train until `untilStep` (default `config.steps`) or early stop. Returns the
   * reason it stopped. Evaluates every `evalEvery` updates and at the end.
   */
  run(untilStep = this.config.steps): TrainRunResult {
    return this.drive(this.runLoop(untilStep), runSync);
  }

  /** `run` with asynchronous reads; `onLog`/`onProgress` fire after each step as in `run`. */
  runAsync(untilStep = this.config.steps): Promise<TrainRunResult> {
    return this.driveAsync(this.runLoop(untilStep));
  }

  private drive<R>(loop: ReadLoop<R>, runner: (l: ReadLoop<R>) => R): R {
    this.assertIdle();
    return runner(loop);
  }

  private driveAsync<R>(loop: ReadLoop<R>): Promise<R> {
    return this.exclusive(() => runAsync(loop));
  }

  /**
   * The gradients of update `this.step` (not applied): its statistics
   * `[taskLoss, policyLoss, accuracy, depth, ...terms, gradNorm]` and the clipped
   * gradients, all kept (the caller disposes them).
   */
  private gradients(): PendingUpdate {
    const t0 = Date.now();
    const { model, policy } = this.options;
    const c = this.config;
    const s = this.step;
    const examples = Array.from({ length: c.batchSize }, (_, i) => this.options.example(s * c.batchSize + i));
    const batch = collate(examples, this.options.maxLength);
    const lr = this.learningRate(s);
    let termNames: readonly string[] = [];
    let clipped: Record<string, tf.Tensor> = {};
    const stats = tidyTyped(() => {
      const g = batchGradients(model, policy, this.vars, batch, c.seed, s, haltingPhase(s, c.warmStartSteps, c.penaltyRampSteps));
      termNames = g.termNames;
      const clip = clipByGlobalNorm(g.grads, c.clipNorm);
      clipped = Object.fromEntries(Object.entries(clip.grads).map(([k, t]) => [k, tf.keep(t)]));
      return tf.concat([g.stats, tf.reshape(clip.norm, [1])]); // [4 + terms + 1], one read
    });
    return { step: s, lr, termNames, stats, clipped, t0 };
  }

  private *stepLoop(): ReadLoop<TrainLogEntry> {
    const u = this.gradients();
    // The loss and gradient norm are read BEFORE the update is applied, so a
    // non-finite step never reaches the weights (or the optimizer state).
    let v: ArrayLike<number>;
    try {
      v = (yield [u.stats])[0]!;
      checkFinite(v, u.step + 1);
      tf.tidy(() => this.adam.apply(u.clipped, u.lr));
    } finally {
      u.stats.dispose();
      tf.dispose(Object.values(u.clipped));
    }
    this.step += 1;
    return logEntry(u, v, Date.now() - u.t0);
  }

  /**
   * Up to `readEvery` updates applied without reading, ending early at an
   * evaluation or at `end`; then ONE read of all their statistics. A non-finite
   * one restores the snapshot taken at the interval's start (weights, optimizer,
   * step) and throws. Snapshots are clones: they share the variables' buffers
   * until an update replaces them, so taking one copies nothing.
   */
  private *intervalLoop(end: number): ReadLoop<TrainLogEntry[]> {
    const t0 = Date.now();
    const snapshot = takeSnapshot(this.weights(), this.adam, this.step);
    const queued: PendingUpdate[] = [];
    let all: tf.Tensor | undefined;
    try {
      do {
        const u = this.gradients();
        queued.push(u);
        try {
          tf.tidy(() => this.adam.apply(u.clipped, u.lr));
        } finally {
          tf.dispose(Object.values(u.clipped));
        }
        this.step += 1;
      } while (queued.length < this.readEvery && this.step < end && !this.evalDue());
      all = tf.concat(queued.map((u) => u.stats)); // [n * (4 + terms + 1)]
      const v = (yield [all])[0]!;
      const entries: TrainLogEntry[] = [];
      const ms = (Date.now() - t0) / queued.length; // the interval's time, shared evenly
      let offset = 0;
      for (const u of queued) {
        const part = v.slice(offset, offset + u.stats.size) as ArrayLike<number>;
        offset += u.stats.size;
        try {
          checkFinite(part, u.step + 1, snapshot.step);
        } catch (e) {
          restoreSnapshot(snapshot, this.weights(), this.adam);
          this.step = snapshot.step;
          throw e;
        }
        entries.push(logEntry(u, part, ms));
      }
      return entries;
    } finally {
      all?.dispose();
      for (const u of queued) u.stats.dispose();
      disposeSnapshot(snapshot);
    }
  }

  private *runLoop(untilStep: number): ReadLoop<TrainRunResult> {
    const started = Date.now();
    const end = Math.min(untilStep, this.config.steps);
    const blocked = this.runBlocked();
    if (blocked) return blocked;
    while (this.step < end) {
      const entries = this.readEvery === 1 ? [yield* this.stepLoop()] : yield* this.intervalLoop(end);
      const ev = this.evalDue() ? yield* this.evalLoop(this.options.evalExamples) : undefined;
      for (let i = 0; i < entries.length; i++) {
        const stop = this.afterUpdate(entries[i]!, i === entries.length - 1 ? ev : undefined, started, this.options);
        if (stop) return stop;
      }
    }
    return this.runFinished();
  }
}

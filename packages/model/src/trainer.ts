/**
 * The training loop. Each update: batch from examples `step*batchSize + i` (the
 * data stream is a pure function of the step, so resuming needs no RNG state),
 * differentiable forward (`forward.ts`), gradient clipping by global norm, Adam
 * with warmup + cosine schedule. One `tf.tidy` per step; zero tensor growth.
 * Checkpoints hold weights (model + policy), optimizer state, step and configs.
 * Steps, evaluation and the run loop are written once as read loops
 * (read-loop.ts): `trainStep`/`run` read scalars with `dataSync`,
 * `trainStepAsync`/`runAsync` with `await data()` (browsers, WebGPU). The step
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
import { NonFiniteTrainingError } from './errors.js';
import type { EvalResult } from './evaluate.js';
import type { LoopedTransformer } from './model.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';
import { defaultTrainerConfig, type TrainerConfig } from './trainer-config.js';
import { TrainingCore, type TrainLogEntry, type TrainProgress, type TrainRunResult } from './training-core.js';

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
  /** Extra JSON saved in checkpoints (task name and params, policy definition...). */
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly onLog?: (entry: TrainLogEntry) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
}

/**
 * Trains a `LoopedTransformer` with a halting policy on a deterministic example stream:
 * Adam with warmup and cosine decay, global-norm clipping, a check for non-finite loss
 * and gradient norm before every update, held-out evaluation, patience early stopping
 * with best-weights keeping, and checkpoints that resume bit-identically. `run` and
 * `trainStep` read synchronously; `runAsync` and `trainStepAsync` with `await data()`
 * (WebGPU, browsers). For several threads see `createParallelTrainer` in `@anira/model/node`.
 */
export class Trainer extends TrainingCore {
  constructor(private readonly options: TrainerOptions) {
    super(options.model, options.policy, defaultTrainerConfig(options.config), options.meta,
      'Trainer: an async step or run is still in progress; await it first');
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

  private *stepLoop(): ReadLoop<TrainLogEntry> {
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
    // The loss and gradient norm are read BEFORE the update is applied, so a
    // non-finite step never reaches the weights (or the optimizer state).
    let v: ArrayLike<number>;
    let gradNorm: number;
    try {
      v = (yield [stats])[0]!;
      const loss = v[0]! + v[1]!;
      gradNorm = v[v.length - 1]!;
      if (!Number.isFinite(loss)) throw new NonFiniteTrainingError(s + 1, 'loss', loss);
      if (!Number.isFinite(gradNorm)) throw new NonFiniteTrainingError(s + 1, 'gradient norm', gradNorm);
      tf.tidy(() => this.adam.apply(clipped, lr));
    } finally {
      stats.dispose();
      tf.dispose(Object.values(clipped));
    }
    this.step += 1;
    const [taskLoss, policyLoss, accuracy, meanDepth] = [v[0]!, v[1]!, v[2]!, v[3]!];
    const lossTerms = Object.fromEntries(termNames.map((k, i) => [k, v[4 + i]!]));
    return { step: this.step, lr, loss: taskLoss + policyLoss, taskLoss, policyLoss, lossTerms, gradNorm, accuracy, meanDepth, timeMs: Date.now() - t0 };
  }

  private *runLoop(untilStep: number): ReadLoop<TrainRunResult> {
    const started = Date.now();
    const end = Math.min(untilStep, this.config.steps);
    const blocked = this.runBlocked();
    if (blocked) return blocked;
    while (this.step < end) {
      const entry = yield* this.stepLoop();
      const ev = this.evalDue() ? yield* this.evalLoop(this.options.evalExamples) : undefined;
      const stop = this.afterUpdate(entry, ev, started, this.options);
      if (stop) return stop;
    }
    return this.runFinished();
  }
}

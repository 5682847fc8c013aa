/**
 * The training loop. Each update: batch from examples `step*batchSize + i` (the
 * data stream is a pure function of the step, so resuming needs no RNG state),
 * differentiable forward (`forward.ts`), gradient clipping by global norm, Adam
 * with warmup + cosine schedule. One `tf.tidy` per step; zero tensor growth.
 * Checkpoints hold weights (model + policy), optimizer state, step and configs.
 * Steps, evaluation and the run loop are written once as read loops
 * (read-loop.ts): `trainStep`/`run` read scalars with `dataSync`,
 * `trainStepAsync`/`runAsync` with `await data()` (browsers, WebGPU).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Adam, clipByGlobalNorm, deriveSeed } from '@anira/tensor';
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import { collate } from './batch.js';
import { tidyTyped } from './tidy.js';
import { deserializeCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { evaluateLoop, type EvalResult } from './evaluate.js';
import { trainForward } from './forward.js';
import type { LoopedTransformer } from './model.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';
import { learningRate } from './schedule.js';
import { defaultTrainerConfig, type TrainerConfig } from './trainer-config.js';

/** One metrics-log entry (JSONL-able). */
export interface TrainLogEntry {
  readonly step: number;
  readonly lr: number;
  readonly loss: number;
  readonly taskLoss: number;
  readonly policyLoss: number;
  readonly lossTerms: Readonly<Record<string, number>>;
  readonly gradNorm: number;
  /** Expected token accuracy on the training batch. */
  readonly accuracy: number;
  readonly meanDepth: number;
  readonly timeMs: number;
  readonly eval?: EvalResult;
}

export interface TrainProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly meanDepth: number;
  readonly elapsedMs: number;
}

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

/** Why and where `run` / `runAsync` stopped. */
export interface TrainRunResult {
  readonly stopped: 'steps' | 'target-accuracy';
  readonly step: number;
  readonly eval?: EvalResult;
}

export class Trainer {
  readonly config: TrainerConfig;
  /** Updates applied so far. */
  step = 0;
  lastEval: EvalResult | undefined;
  private readonly vars: Record<string, tf.Variable> = {};
  private readonly adam: Adam;
  /** An async step or run is in flight (they must not interleave). */
  private busy = false;

  constructor(private readonly options: TrainerOptions) {
    this.config = defaultTrainerConfig(options.config);
    for (const [k, v] of Object.entries(options.model.params)) this.vars[`model/${k}`] = v;
    for (const [k, v] of Object.entries(options.policy.variables)) if (v.trainable) this.vars[`policy/${k}`] = v;
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    this.adam = new Adam(this.vars, { beta1, beta2, epsilon, weightDecay });
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
    return this.drive(this.evalLoop(), runSync);
  }

  /** `evaluate` with asynchronous reads. */
  evaluateAsync(): Promise<EvalResult | undefined> {
    return this.driveAsync(this.evalLoop());
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
    if (this.busy) throw new Error('Trainer: an async step or run is still in progress; await it first');
    return runner(loop);
  }

  private async driveAsync<R>(loop: ReadLoop<R>): Promise<R> {
    if (this.busy) throw new Error('Trainer: an async step or run is still in progress; await it first');
    this.busy = true;
    try {
      return await runAsync(loop);
    } finally {
      this.busy = false;
    }
  }

  private *stepLoop(): ReadLoop<TrainLogEntry> {
    const t0 = Date.now();
    const { model, policy } = this.options;
    const c = this.config;
    const s = this.step;
    const examples = Array.from({ length: c.batchSize }, (_, i) => this.options.example(s * c.batchSize + i));
    const batch = collate(examples, this.options.maxLength);
    const lr = learningRate(s, c.steps, c.lr, c.warmupSteps, c.minLrRatio);
    const names = Object.keys(this.vars);
    const byTfName = new Map(names.map((k) => [this.vars[k]!.name, k]));
    let termNames: string[] = [];
    const stats = tidyTyped(() => {
      let side: tf.Scalar[] = [];
      let terms: tf.Scalar[] = [];
      const { grads } = tf.variableGrads(() => {
        const f = trainForward(model, policy, batch, deriveSeed(c.seed, `train${s}`));
        side = [f.taskLoss, f.policyLoss, f.accuracy, f.meanDepth].map((x) => tf.keep(x));
        termNames = Object.keys(f.lossTerms);
        terms = termNames.map((k) => tf.keep(f.lossTerms[k]!));
        return f.objective;
      }, names.map((k) => this.vars[k]!));
      const named: Record<string, tf.Tensor> = {};
      for (const [tfName, g] of Object.entries(grads)) named[byTfName.get(tfName)!] = g;
      const { grads: clipped, norm } = clipByGlobalNorm(named, c.clipNorm);
      this.adam.apply(clipped, lr);
      const stats = tf.stack([...side, norm, ...terms]); // [5 + terms], one read
      tf.dispose([...side, ...terms]); // kept out of variableGrads' scope, so tidy would not free them
      return stats;
    });
    this.step += 1; // the update is applied; only its statistics remain to be read
    let v: ArrayLike<number>;
    try {
      v = (yield [stats])[0]!;
    } finally {
      stats.dispose();
    }
    const [taskLoss, policyLoss, accuracy, meanDepth, gradNorm] = Array.from({ length: 5 }, (_, i) => v[i]!) as [number, number, number, number, number];
    const lossTerms = Object.fromEntries(termNames.map((k, i) => [k, v[5 + i]!]));
    return { step: this.step, lr, loss: taskLoss + policyLoss, taskLoss, policyLoss, lossTerms, gradNorm, accuracy, meanDepth, timeMs: Date.now() - t0 };
  }

  private *evalLoop(): ReadLoop<EvalResult | undefined> {
    const ex = this.options.evalExamples;
    if (!ex || ex.length === 0) return undefined;
    this.lastEval = yield* evaluateLoop(this.options.model, this.options.policy, ex, { batchSize: this.config.batchSize, seed: this.config.seed });
    return this.lastEval;
  }

  private *runLoop(untilStep: number): ReadLoop<TrainRunResult> {
    const c = this.config;
    const started = Date.now();
    const end = Math.min(untilStep, c.steps);
    while (this.step < end) {
      let entry = yield* this.stepLoop();
      const due = (c.evalEvery > 0 && this.step % c.evalEvery === 0) || this.step === c.steps;
      const ev = due ? yield* this.evalLoop() : undefined;
      if (ev) entry = { ...entry, eval: ev };
      this.options.onLog?.(entry);
      this.options.onProgress?.({
        step: this.step, totalSteps: c.steps, loss: entry.loss, accuracy: ev?.accuracy ?? entry.accuracy,
        meanDepth: ev?.meanDepth ?? entry.meanDepth, elapsedMs: Date.now() - started,
      });
      if (ev && c.targetAccuracy !== undefined && ev.accuracy >= c.targetAccuracy) {
        return { stopped: 'target-accuracy', step: this.step, eval: ev };
      }
    }
    return this.lastEval ? { stopped: 'steps', step: this.step, eval: this.lastEval } : { stopped: 'steps', step: this.step };
  }

  /** Serialize model + policy weights, optimizer state, step and configs. */
  async checkpoint(): Promise<Uint8Array> {
    const { model, policy } = this.options;
    const tensors: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(model.params)) tensors[`model/${k}`] = v;
    for (const [k, v] of Object.entries(policy.variables)) tensors[`policy/${k}`] = v;
    for (const [k, v] of Object.entries(this.adam.state())) tensors[`optim/${k}`] = v;
    return serializeCheckpoint(
      {
        step: this.step, dataPosition: this.step * this.config.batchSize, model: model.config,
        policy: { name: policy.name, options: policy.options }, trainer: this.config, ...this.options.meta,
      },
      tensors,
    );
  }

  /** Restore a checkpoint written by `checkpoint()` into this trainer's model, policy and optimizer. */
  restore(bytes: Uint8Array): void {
    const { header, tensors } = deserializeCheckpoint(bytes);
    try {
      const meta = header.meta as { step?: unknown; model?: Record<string, unknown>; policy?: { name?: unknown } };
      const cfg = this.options.model.config as unknown as Record<string, unknown>;
      for (const k of Object.keys(cfg)) {
        if (meta.model?.[k] !== cfg[k]) {
          throw new Error(`checkpoint: model config "${k}" is ${JSON.stringify(meta.model?.[k])} in the checkpoint, ${JSON.stringify(cfg[k])} here`);
        }
      }
      if (meta.policy?.name !== this.options.policy.name) {
        throw new Error(`checkpoint: policy is "${String(meta.policy?.name)}" in the checkpoint, "${this.options.policy.name}" here`);
      }
      if (typeof meta.step !== 'number') throw new Error('checkpoint: header has no "step"');
      const targets: Record<string, tf.Variable> = {};
      for (const [k, v] of Object.entries(this.options.model.params)) targets[`model/${k}`] = v;
      for (const [k, v] of Object.entries(this.options.policy.variables)) targets[`policy/${k}`] = v;
      for (const [k, v] of Object.entries(targets)) {
        const t = tensors[k];
        if (!t) throw new Error(`checkpoint: weight "${k}" is missing`);
        if (t.shape.join() !== v.shape.join()) throw new Error(`checkpoint: weight "${k}" has shape [${t.shape}], expected [${v.shape}]`);
      }
      const optim: Record<string, tf.Tensor> = {};
      for (const [k, t] of Object.entries(tensors)) if (k.startsWith('optim/')) optim[k.slice(6)] = t;
      this.adam.setState(optim, meta.step);
      for (const [k, v] of Object.entries(targets)) v.assign(tensors[k]!);
      this.step = meta.step;
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  dispose(): void {
    this.adam.dispose();
  }
}

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
import { BestTracker, parseBestState } from './best-tracker.js';
import { deserializeCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { NonFiniteTrainingError } from './errors.js';
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
  /** `steps`: the budget is spent; `target-accuracy`: held-out accuracy reached the target; `patience`: no improvement for `patience` evaluations. */
  readonly stopped: 'steps' | 'target-accuracy' | 'patience';
  readonly step: number;
  readonly eval?: EvalResult;
}

export class Trainer {
  readonly config: TrainerConfig;
  /** Updates applied so far. */
  step = 0;
  lastEval: EvalResult | undefined;
  private readonly vars: Record<string, tf.Variable> = {};
  private readonly tracker: BestTracker;
  private readonly adam: Adam;
  /** An async step or run is in flight (they must not interleave). */
  private busy = false;

  constructor(private readonly options: TrainerOptions) {
    this.config = defaultTrainerConfig(options.config);
    for (const [k, v] of Object.entries(options.model.params)) this.vars[`model/${k}`] = v;
    for (const [k, v] of Object.entries(options.policy.variables)) if (v.trainable) this.vars[`policy/${k}`] = v;
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    this.adam = new Adam(this.vars, { beta1, beta2, epsilon, weightDecay });
    this.tracker = new BestTracker(this.config.patience, this.config.minDelta);
  }

  /** The best held-out evaluation so far (token accuracy), or undefined before the first. */
  get bestEval(): EvalResult | undefined {
    return this.tracker.best?.eval;
  }

  /** The update at which `bestEval` was measured (0 before the first evaluation). */
  get bestStep(): number {
    return this.tracker.best?.step ?? 0;
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
    let clipped: Record<string, tf.Tensor> = {};
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
      const clip = clipByGlobalNorm(named, c.clipNorm);
      clipped = Object.fromEntries(Object.entries(clip.grads).map(([k, g]) => [k, tf.keep(g)]));
      const stats = tf.stack([...side, clip.norm, ...terms]); // [5 + terms], one read
      tf.dispose([...side, ...terms]); // kept out of variableGrads' scope, so tidy would not free them
      return stats;
    });
    // The loss and gradient norm are read BEFORE the update is applied, so a
    // non-finite step never reaches the weights (or the optimizer state).
    let v: ArrayLike<number>;
    try {
      v = (yield [stats])[0]!;
      const loss = v[0]! + v[1]!;
      if (!Number.isFinite(loss)) throw new NonFiniteTrainingError(s + 1, 'loss', loss);
      if (!Number.isFinite(v[4]!)) throw new NonFiniteTrainingError(s + 1, 'gradient norm', v[4]!);
      tf.tidy(() => this.adam.apply(clipped, lr));
    } finally {
      stats.dispose();
      tf.dispose(Object.values(clipped));
    }
    this.step += 1;
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
    if (this.tracker.exhausted) return { stopped: 'patience', step: this.step, eval: this.lastEval ?? this.tracker.best!.eval };
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
      const exhausted = ev ? this.tracker.observe(this.step, ev, this.weights()) : false;
      if (ev && c.targetAccuracy !== undefined && ev.accuracy >= c.targetAccuracy) {
        return { stopped: 'target-accuracy', step: this.step, eval: ev };
      }
      if (exhausted) return { stopped: 'patience', step: this.step, eval: ev! };
    }
    return this.lastEval ? { stopped: 'steps', step: this.step, eval: this.lastEval } : { stopped: 'steps', step: this.step };
  }

  /** Every trainable tensor by checkpoint name (`model/...`, `policy/...`). */
  private weights(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.options.model.params)) out[`model/${k}`] = v;
    for (const [k, v] of Object.entries(this.options.policy.variables)) out[`policy/${k}`] = v;
    return out;
  }

  private header(step: number): Record<string, unknown> {
    const { model, policy } = this.options;
    return {
      step, dataPosition: step * this.config.batchSize, model: model.config,
      policy: { name: policy.name, options: policy.options }, trainer: this.config,
      ...(this.tracker.best ? { best: this.tracker.best } : {}), ...this.options.meta,
    };
  }

  /**
   * Serialize model + policy weights, optimizer state, step and configs, and the
   * best-evaluation snapshot (`best/...`) with the early-stopping state.
   */
  async checkpoint(): Promise<Uint8Array> {
    const tensors: Record<string, tf.Tensor> = { ...this.weights() };
    for (const [k, v] of Object.entries(this.adam.state())) tensors[`optim/${k}`] = v;
    for (const [k, v] of Object.entries(this.tracker.weights ?? {})) tensors[`best/${k}`] = v;
    return serializeCheckpoint(this.header(this.step), tensors);
  }

  /**
   * A checkpoint of the best-evaluation weights alone (no optimizer state; header
   * `step` = `bestStep`), for inference; undefined before the first evaluation.
   */
  async bestCheckpoint(): Promise<Uint8Array | undefined> {
    const best = this.tracker.weights;
    if (!best) return undefined;
    return serializeCheckpoint({ ...this.header(this.bestStep), bestOnly: true }, { ...best });
  }

  /** Copy the best-evaluation weights into the model and policy; false when there is none yet. */
  useBest(): boolean {
    const best = this.tracker.weights;
    if (!best) return false;
    for (const [k, v] of Object.entries(this.weights())) v.assign(best[k]!);
    return true;
  }

  /** Restore a checkpoint written by `checkpoint()` into this trainer's model, policy and optimizer. */
  restore(bytes: Uint8Array): void {
    const { header, tensors } = deserializeCheckpoint(bytes);
    try {
      const meta = this.checkHeader(header.meta);
      if (typeof meta.step !== 'number') throw new Error('checkpoint: header has no "step"');
      if (meta['bestOnly'] === true) throw new Error('checkpoint: this is a best-weights file (no optimizer state); resume from checkpoint.anira');
      const targets = this.weights();
      this.checkShapes(tensors, targets, '');
      const optim: Record<string, tf.Tensor> = {};
      const best: Record<string, tf.Tensor> = {};
      for (const [k, t] of Object.entries(tensors)) {
        if (k.startsWith('optim/')) optim[k.slice(6)] = t;
        if (k.startsWith('best/')) best[k.slice(5)] = t;
      }
      const bestState = parseBestState(meta['best'], 'checkpoint');
      if (bestState) this.checkShapes(best, targets, '');
      this.adam.setState(optim, meta.step);
      for (const [k, v] of Object.entries(targets)) v.assign(tensors[k]!);
      this.tracker.load(bestState, bestState ? best : undefined);
      this.applyCalibration(meta.policy?.options);
      this.step = meta.step;
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /** Load the snapshot of a `bestCheckpoint()` file as this trainer's best weights (same model and policy). */
  restoreBest(bytes: Uint8Array): void {
    const { header, tensors } = deserializeCheckpoint(bytes);
    try {
      const meta = this.checkHeader(header.meta);
      const state = parseBestState(meta['best'], 'best checkpoint');
      if (!state) throw new Error('best checkpoint: header has no "best" record');
      this.checkShapes(tensors, this.weights(), '');
      this.tracker.load(state, tensors);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /** Model config and policy name must match this trainer's. */
  private checkHeader(raw: Record<string, unknown>) {
    const meta = raw as { step?: unknown; model?: Record<string, unknown>; policy?: { name?: unknown; options?: Record<string, unknown> } } & Record<string, unknown>;
    const cfg = this.options.model.config as unknown as Record<string, unknown>;
    for (const k of Object.keys(cfg)) {
      if (meta.model?.[k] !== cfg[k]) {
        throw new Error(`checkpoint: model config "${k}" is ${JSON.stringify(meta.model?.[k])} in the checkpoint, ${JSON.stringify(cfg[k])} here`);
      }
    }
    if (meta.policy?.name !== this.options.policy.name) {
      throw new Error(`checkpoint: policy is "${String(meta.policy?.name)}" in the checkpoint, "${this.options.policy.name}" here`);
    }
    return meta;
  }

  private checkShapes(tensors: Record<string, tf.Tensor>, targets: Record<string, tf.Variable>, prefix: string): void {
    for (const [k, v] of Object.entries(targets)) {
      const t = tensors[prefix + k];
      if (!t) throw new Error(`checkpoint: weight "${prefix + k}" is missing`);
      if (t.shape.join() !== v.shape.join()) throw new Error(`checkpoint: weight "${prefix + k}" has shape [${t.shape}], expected [${v.shape}]`);
    }
  }

  /** A checkpoint's policy options carry the calibration knob's value (e.g. `q` after `budget()`): apply it. */
  private applyCalibration(options: Record<string, unknown> | undefined): void {
    const knob = this.options.policy.calibration;
    const value = knob && options?.[knob.name];
    if (knob && typeof value === 'number' && Number.isFinite(value)) knob.set(value);
  }

  dispose(): void {
    this.tracker.dispose();
    this.adam.dispose();
  }
}

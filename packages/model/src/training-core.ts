/**
 * The training state and bookkeeping shared by `Trainer` (one thread) and
 * `ParallelTrainer` (worker threads): the step counter, Adam over the trainable
 * variables, early stopping (`BestTracker`), the last evaluation, the weights by
 * checkpoint name, checkpoints (header, `checkpoint`, `bestCheckpoint`) and their
 * restore, the busy guard, and what a run does after each update (`afterUpdate`:
 * log, progress, early stopping, target accuracy). Both trainers extend it and
 * differ only in how an update is computed and how their run loops wait (read
 * loop vs promises).
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '@anira/tensor';
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import { BestTracker, parseBestState } from './best-tracker.js';
import { deserializeCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { evaluateLoop, type EvalResult } from './evaluate.js';
import { parseInitialWeights, readInitialWeights, type InitialWeights } from './initial-weights.js';
import type { LoopedTransformer } from './model.js';
import type { ReadLoop } from './read-loop.js';
import { learningRate } from './schedule.js';
import type { TrainerConfig } from './trainer-config.js';

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

/** Why and where `run` / `runAsync` stopped. */
export interface TrainRunResult {
  /** `steps`: the budget is spent; `target-accuracy`: held-out accuracy reached the target; `patience`: no improvement for `patience` evaluations. */
  readonly stopped: 'steps' | 'target-accuracy' | 'patience';
  readonly step: number;
  readonly eval?: EvalResult;
}

/** The callbacks a run fires after each update. */
export interface TrainHooks {
  readonly onLog?: (entry: TrainLogEntry) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
}

/** The trainable variables by checkpoint name (`model/...`, then trainable `policy/...`): what Adam updates. */
export function trainableVariables(model: LoopedTransformer, policy: HaltingPolicy): Record<string, tf.Variable> {
  const vars: Record<string, tf.Variable> = {};
  for (const [k, v] of Object.entries(model.params)) vars[`model/${k}`] = v;
  for (const [k, v] of Object.entries(policy.variables)) if (v.trainable) vars[`policy/${k}`] = v;
  return vars;
}

/**
 * The base of both trainers: everything but how an update is computed and how a
 * run loop waits. Public members are the trainers' shared API; protected ones the
 * pieces their run loops call.
 */
export abstract class TrainingCore {
  /** Updates applied so far. */
  step = 0;
  /** The latest held-out evaluation. */
  lastEval: EvalResult | undefined;
  /** Where the model's weights started (`initModel`; kept in checkpoints), or undefined for a fresh initialisation. */
  initialWeights: InitialWeights | undefined;
  protected readonly adam: Adam;
  /** What Adam updates, by checkpoint name. */
  protected readonly vars: Record<string, tf.Variable>;
  private readonly tracker: BestTracker;
  /** A step or run is in flight (they must not interleave). */
  private busy = false;

  constructor(
    protected readonly model: LoopedTransformer,
    protected readonly policy: HaltingPolicy,
    readonly config: TrainerConfig,
    private readonly meta: Readonly<Record<string, unknown>> | undefined,
    /** The one-line error of a call while a step or run is in flight. */
    private readonly busyMessage: string,
    vars?: Record<string, tf.Variable>,
  ) {
    this.vars = vars ?? trainableVariables(model, policy);
    const { beta1, beta2, epsilon, weightDecay } = config;
    this.adam = new Adam(this.vars, { beta1, beta2, epsilon, weightDecay });
    this.tracker = new BestTracker(config.patience, config.minDelta);
  }

  /** The best held-out evaluation so far (token accuracy), or undefined before the first. */
  get bestEval(): EvalResult | undefined {
    return this.tracker.best?.eval;
  }

  /** The update at which `bestEval` was measured (0 before the first evaluation). */
  get bestStep(): number {
    return this.tracker.best?.step ?? 0;
  }

  /** The scheduled learning rate of update `step` (0-based). */
  protected learningRate(step: number): number {
    const c = this.config;
    return learningRate(step, c.steps, c.lr, c.warmupSteps, c.minLrRatio);
  }

  /** Held-out evaluation of `examples` (none: undefined); sets `lastEval`. */
  protected *evalLoop(examples: readonly Example[] | undefined): ReadLoop<EvalResult | undefined> {
    if (!examples || examples.length === 0) return undefined;
    this.lastEval = yield* evaluateLoop(this.model, this.policy, examples, { batchSize: this.config.batchSize, seed: this.config.seed });
    return this.lastEval;
  }

  /** The result of a run that must not start: a resumed run that had run out of patience. */
  protected runBlocked(): TrainRunResult | undefined {
    return this.tracker.exhausted ? { stopped: 'patience', step: this.step, eval: this.lastEval ?? this.tracker.best!.eval } : undefined;
  }

  /**
   * Whether update `step` (default: the one just applied) is followed by a held-out
   * evaluation: every `evalEvery` updates, and the last. Callers that act at the
   * evaluations (the CLI's gated curriculum) ask this rather than repeat the rule.
   */
  evalDue(step: number = this.step): boolean {
    const c = this.config;
    return (c.evalEvery > 0 && step % c.evalEvery === 0) || step === c.steps;
  }

  /**
   * A run's bookkeeping after an update (and its evaluation `ev` when due): onLog,
   * onProgress (`started`: the run's start time), early stopping and the target
   * accuracy. Returns the run's result when it stops here.
   */
  protected afterUpdate(entry: TrainLogEntry, ev: EvalResult | undefined, started: number, hooks: TrainHooks): TrainRunResult | undefined {
    const c = this.config;
    hooks.onLog?.(ev ? { ...entry, eval: ev } : entry);
    hooks.onProgress?.({
      step: entry.step, totalSteps: c.steps, loss: entry.loss, accuracy: ev?.accuracy ?? entry.accuracy,
      meanDepth: ev?.meanDepth ?? entry.meanDepth, elapsedMs: Date.now() - started,
    });
    if (!ev) return undefined;
    const exhausted = this.tracker.observe(this.step, ev, this.weights());
    if (c.targetAccuracy !== undefined && ev.accuracy >= c.targetAccuracy) return { stopped: 'target-accuracy', step: this.step, eval: ev };
    return exhausted ? { stopped: 'patience', step: this.step, eval: ev } : undefined;
  }

  /** The result of a run that spent its step budget. */
  protected runFinished(): TrainRunResult {
    return this.lastEval ? { stopped: 'steps', step: this.step, eval: this.lastEval } : { stopped: 'steps', step: this.step };
  }

  /** Every tensor a checkpoint holds as weights (`model/...`, all `policy/...`, trainable or not). */
  protected weights(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.model.params)) out[`model/${k}`] = v;
    for (const [k, v] of Object.entries(this.policy.variables)) out[`policy/${k}`] = v;
    return out;
  }

  private header(step: number): Record<string, unknown> {
    return {
      step, dataPosition: step * this.config.batchSize, model: this.model.config,
      policy: { name: this.policy.name, options: this.policy.options, ...(this.policy.source ? { source: this.policy.source } : {}) }, trainer: this.config,
      ...(this.tracker.best ? { best: this.tracker.best } : {}), ...(this.initialWeights ? { init: this.initialWeights } : {}), ...this.meta,
    };
  }

  /**
   * Serialize model + policy weights, optimizer state, step and configs, and the
   * best-evaluation snapshot (`best/...`) with the early-stopping state. Both
   * trainers write the same bytes for the same state.
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

  /**
   * Restore a checkpoint written by either trainer's `checkpoint()`: weights,
   * optimizer, early-stopping state, calibration, step (validated before anything changes).
   */
  restore(bytes: Uint8Array): void {
    const { header, tensors } = deserializeCheckpoint(bytes);
    try {
      const meta = this.checkHeader(header.meta);
      if (typeof meta.step !== 'number') throw new AniraInputError('checkpoint: header has no "step"', { code: 'invalid-file' });
      if (meta['bestOnly'] === true) throw new AniraInputError('checkpoint: this is a best-weights file (no optimizer state); resume from checkpoint.anira', { code: 'invalid-file' });
      const targets = this.weights();
      checkShapes(tensors, targets);
      const optim: Record<string, tf.Tensor> = {};
      const best: Record<string, tf.Tensor> = {};
      for (const [k, t] of Object.entries(tensors)) {
        if (k.startsWith('optim/')) optim[k.slice(6)] = t;
        if (k.startsWith('best/')) best[k.slice(5)] = t;
      }
      const bestState = parseBestState(meta['best'], 'checkpoint');
      if (bestState) checkShapes(best, targets);
      this.adam.setState(optim, meta.step);
      for (const [k, v] of Object.entries(targets)) v.assign(tensors[k]!);
      this.tracker.load(bestState, bestState ? best : undefined);
      this.applyCalibration(meta.policy?.options);
      this.initialWeights = parseInitialWeights(meta['init'], 'checkpoint');
      this.step = meta.step;
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /**
   * Start from another run's model weights before the first update: copy the model
   * weights of `bytes` (a `checkpoint()` or `bestCheckpoint()` file; `which` 'best', the
   * default, takes its best-evaluation weights where it has them, see
   * initial-weights.ts) into this trainer's model. The policy's weights, the optimizer and
   * the step stay as they are; the model configs must agree but for `tMax` and `seed`.
   * Returns the record, also kept as `initialWeights` and in every later checkpoint.
   */
  initModel(bytes: Uint8Array, which: 'best' | 'last' = 'best'): InitialWeights {
    this.assertIdle();
    if (this.step !== 0) throw new AniraInputError(`initModel: the trainer is at update ${this.step}; initialise the model before the first update`, { code: 'invalid-state' });
    const { pairs, record } = readInitialWeights(bytes, this.model.config, this.model.params, which);
    try {
      for (const [v, t] of pairs) v.assign(t);
    } finally {
      tf.dispose(pairs.map(([, t]) => t));
    }
    this.initialWeights = record;
    return record;
  }

  /** Load the snapshot of a `bestCheckpoint()` file as this trainer's best weights (same model and policy). */
  restoreBest(bytes: Uint8Array): void {
    const { header, tensors } = deserializeCheckpoint(bytes);
    try {
      const meta = this.checkHeader(header.meta);
      const state = parseBestState(meta['best'], 'best checkpoint');
      if (!state) throw new AniraInputError('best checkpoint: header has no "best" record', { code: 'invalid-file' });
      checkShapes(tensors, this.weights());
      this.tracker.load(state, tensors);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /** Throw `busyMessage` while a step or run is in flight. */
  protected assertIdle(): void {
    if (this.busy) throw new AniraInputError(this.busyMessage, { code: 'invalid-state' });
  }

  /** Run `fn` as the one step or run in flight. */
  protected async exclusive<R>(fn: () => Promise<R>): Promise<R> {
    this.assertIdle();
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  /** Model config and policy name must match this trainer's. */
  private checkHeader(raw: Record<string, unknown>) {
    const meta = raw as { step?: unknown; model?: Record<string, unknown>; policy?: { name?: unknown; options?: Record<string, unknown> } } & Record<string, unknown>;
    const cfg = this.model.config as unknown as Record<string, unknown>;
    for (const k of Object.keys(cfg)) {
      if (meta.model?.[k] !== cfg[k]) {
        throw new AniraInputError(`checkpoint: model config "${k}" is ${JSON.stringify(meta.model?.[k])} in the checkpoint, ${JSON.stringify(cfg[k])} here`);
      }
    }
    if (meta.policy?.name !== this.policy.name) {
      throw new AniraInputError(`checkpoint: policy is "${String(meta.policy?.name)}" in the checkpoint, "${this.policy.name}" here`);
    }
    return meta;
  }

  /** A checkpoint's policy options carry the calibration knob's value (e.g. `q` after `budget()`): apply it. */
  private applyCalibration(options: Record<string, unknown> | undefined): void {
    const knob = this.policy.calibration;
    const value = knob && options?.[knob.name];
    // Only a value the knob itself could hold (e.g. `fixed`'s depth 0 means "tMax", outside its range) and that differs.
    if (!knob || typeof value !== 'number' || !Number.isFinite(value) || value === knob.get()) return;
    if (value >= knob.range[0] && value <= knob.range[1]) knob.set(value);
  }

  /** Release what the trainer holds outside tfjs (worker threads); at once where it holds none. Idempotent. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Free the optimizer state and the best weights (the model and policy belong to the caller; `ParallelTrainer`: after `close()`). */
  dispose(): void {
    this.tracker.dispose();
    this.adam.dispose();
  }
}

/** Every target weight is present in `tensors` with its shape. */
function checkShapes(tensors: Record<string, tf.Tensor>, targets: Record<string, tf.Variable>): void {
  for (const [k, v] of Object.entries(targets)) {
    const t = tensors[k];
    if (!t) throw new AniraInputError(`checkpoint: weight "${k}" is missing`, { code: 'invalid-file' });
    if (t.shape.join() !== v.shape.join()) throw new AniraInputError(`checkpoint: weight "${k}" has shape [${t.shape}], expected [${v.shape}]`, { code: 'invalid-file' });
  }
}

/**
 * Data-parallel training on worker threads (`@anira/model/node`). The global
 * batch of each update (examples `step*B .. step*B+B-1`, as in `Trainer`) is split
 * into W contiguous shards, one per worker thread; each worker has its own tfjs
 * backend and replica (built by the setup module, see setup.ts) and writes its
 * shard's flat gradient into its slot of a SharedArrayBuffer. The main thread
 * holds the authoritative replica: it combines the slots token-weighted in worker
 * order (combine.ts), clips, checks and applies ONE Adam update (update.ts), and
 * publishes the new weights to the workers before the next update. Evaluation,
 * early stopping, checkpoints and restore are those of `Trainer` (same checkpoint
 * bytes, interchangeable with `Trainer.restore`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { Adam } from '@anira/tensor';
import { BestTracker, parseBestState } from '../best-tracker.js';
import { deserializeCheckpoint, serializeCheckpoint } from '../checkpoint.js';
import { evaluateLoop, type EvalResult } from '../evaluate.js';
import { runSync } from '../read-loop.js';
import { learningRate } from '../schedule.js';
import { Trainer, type TrainLogEntry, type TrainProgress, type TrainRunResult } from '../trainer.js';
import { defaultTrainerConfig, type TrainerConfig } from '../trainer-config.js';
import { combineGradients, combineScalar, shardWeights } from './combine.js';
import { layoutOf, readWeights, trainableVariables, type VariableLayout } from './layout.js';
import { defaultWorkerUrl, WorkerPool } from './pool.js';
import { loadReplica, type ParallelReplica } from './setup.js';
import { allocateShared, Ctl, STATS_SIZE, viewsOf, type SharedViews } from './shared-memory.js';
import { applyCombinedUpdate } from './update.js';

export interface ParallelTrainerOptions {
  /** ES module (file URL, or absolute path) exporting `setup(setupData)` (or a default export) that returns a `ParallelReplica`. */
  readonly setupModule: string | URL;
  /** JSON-serializable argument of the setup factory (structured-cloned to every worker). */
  readonly setupData?: unknown;
  /** Worker threads W, an integer in [1, batchSize]. */
  readonly workers: number;
  /** tfjs backend each worker selects before calling the setup factory (its package must be imported by the setup module); default: tfjs's choice. The main thread keeps the caller's backend. */
  readonly backend?: string;
  readonly config?: Partial<TrainerConfig>;
  /** Extra JSON saved in checkpoints, as `TrainerOptions.meta`. */
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly onLog?: (entry: TrainLogEntry) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** A worker that does not finish an update within this time ends the run. Default 600000 (10 min). */
  readonly stepTimeoutMs?: number;
  /** Time for every worker to import the setup module and build its replica. Default 120000. */
  readonly setupTimeoutMs?: number;
  /** The worker entry (default: `parallel-worker.js` of the built package). */
  readonly workerUrl?: URL;
}

/** Build the main replica, start the workers and wait for their setup. Call `close()` when done. */
export async function createParallelTrainer(options: ParallelTrainerOptions): Promise<ParallelTrainer> {
  const config = defaultTrainerConfig(options.config);
  const w = options.workers;
  if (!Number.isInteger(w) || w < 1 || w > config.batchSize) {
    throw new Error(`parallel training: "workers" must be an integer in [1, ${config.batchSize}] (the batch size), got ${w}`);
  }
  for (const k of ['stepTimeoutMs', 'setupTimeoutMs'] as const) {
    const v = options[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= 1)) throw new Error(`parallel training: "${k}" must be a number >= 1 (ms), got ${v}`);
  }
  const setupModule = moduleUrl(options.setupModule);
  const replica = await loadReplica(setupModule, options.setupData);
  const vars = trainableVariables(replica.model, replica.policy);
  const layout = layoutOf(vars);
  const buffers = allocateShared(w, layout.size, layout.entries.length);
  const views = viewsOf(buffers);
  const pool = new WorkerPool(views, buffers, {
    setupModule, setupData: options.setupData ?? null, ...(options.backend !== undefined ? { backend: options.backend } : {}),
    workers: w, batchSize: config.batchSize, seed: config.seed, layout,
  }, options.workerUrl ?? defaultWorkerUrl(), options.stepTimeoutMs ?? 600_000);
  try {
    await pool.ready(options.setupTimeoutMs ?? 120_000);
  } catch (e) {
    await pool.close();
    throw e;
  }
  return new ParallelTrainer(options, config, replica, vars, layout, views, pool);
}

/** `setupModule` as an import specifier every thread resolves the same way. */
function moduleUrl(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)) return m;
  if (isAbsolute(m)) return pathToFileURL(m).href;
  throw new Error(`parallel training: "setupModule" must be a URL or an absolute path, got "${m}"`);
}

export class ParallelTrainer {
  /** Updates applied so far. */
  step = 0;
  lastEval: EvalResult | undefined;
  private readonly adam: Adam;
  private readonly tracker: BestTracker;
  private busy = false;

  /** Use `createParallelTrainer`. */
  constructor(
    private readonly options: ParallelTrainerOptions,
    readonly config: TrainerConfig,
    /** The main thread's replica (model, policy, data): the weights checkpoints, evaluation and inference read. */
    readonly replica: ParallelReplica,
    private readonly vars: Record<string, tf.Variable>,
    private readonly layout: VariableLayout,
    private readonly views: SharedViews,
    private readonly pool: WorkerPool,
  ) {
    const { beta1, beta2, epsilon, weightDecay } = config;
    this.adam = new Adam(vars, { beta1, beta2, epsilon, weightDecay });
    this.tracker = new BestTracker(config.patience, config.minDelta);
  }

  /** Worker threads. */
  get workers(): number {
    return this.options.workers;
  }

  get bestEval(): EvalResult | undefined {
    return this.tracker.best?.eval;
  }

  get bestStep(): number {
    return this.tracker.best?.step ?? 0;
  }

  /** One update over the W shards; its log entry (token-weighted means of the shards' values). */
  async trainStep(): Promise<TrainLogEntry> {
    return this.exclusive(() => this.stepOnce());
  }

  /** Train until `untilStep` (default `config.steps`) or early stop, exactly as `Trainer.run`. */
  async run(untilStep = this.config.steps): Promise<TrainRunResult> {
    return this.exclusive(async () => {
      const c = this.config;
      const started = Date.now();
      const end = Math.min(untilStep, c.steps);
      if (this.tracker.exhausted) return { stopped: 'patience', step: this.step, eval: this.lastEval ?? this.tracker.best!.eval };
      while (this.step < end) {
        let entry = await this.stepOnce();
        const due = (c.evalEvery > 0 && this.step % c.evalEvery === 0) || this.step === c.steps;
        const ev = due ? this.evaluate() : undefined;
        if (ev) entry = { ...entry, eval: ev };
        this.options.onLog?.(entry);
        this.options.onProgress?.({
          step: this.step, totalSteps: c.steps, loss: entry.loss, accuracy: ev?.accuracy ?? entry.accuracy,
          meanDepth: ev?.meanDepth ?? entry.meanDepth, elapsedMs: Date.now() - started,
        });
        const exhausted = ev ? this.tracker.observe(this.step, ev, this.allWeights()) : false;
        if (ev && c.targetAccuracy !== undefined && ev.accuracy >= c.targetAccuracy) return { stopped: 'target-accuracy', step: this.step, eval: ev };
        if (exhausted) return { stopped: 'patience', step: this.step, eval: ev! };
      }
      return this.lastEval ? { stopped: 'steps', step: this.step, eval: this.lastEval } : { stopped: 'steps', step: this.step };
    });
  }

  /** Held-out evaluation on the main replica (as `Trainer.evaluate`). */
  evaluate(): EvalResult | undefined {
    const ex = this.replica.evalExamples;
    if (!ex || ex.length === 0) return undefined;
    this.lastEval = runSync(evaluateLoop(this.replica.model, this.replica.policy, ex, { batchSize: this.config.batchSize, seed: this.config.seed }));
    return this.lastEval;
  }

  /** The same bytes `Trainer.checkpoint()` writes for the same state. */
  async checkpoint(): Promise<Uint8Array> {
    const tensors: Record<string, tf.Tensor> = { ...this.allWeights() };
    for (const [k, v] of Object.entries(this.adam.state())) tensors[`optim/${k}`] = v;
    for (const [k, v] of Object.entries(this.tracker.weights ?? {})) tensors[`best/${k}`] = v;
    return serializeCheckpoint(this.header(this.step), tensors);
  }

  /** As `Trainer.bestCheckpoint()`. */
  async bestCheckpoint(): Promise<Uint8Array | undefined> {
    const best = this.tracker.weights;
    if (!best) return undefined;
    return serializeCheckpoint({ ...this.header(this.bestStep), bestOnly: true }, { ...best });
  }

  /** As `Trainer.useBest()`. */
  useBest(): boolean {
    const best = this.tracker.weights;
    if (!best) return false;
    for (const [k, v] of Object.entries(this.allWeights())) v.assign(best[k]!);
    return true;
  }

  /** Restore a checkpoint of `Trainer.checkpoint()` or `ParallelTrainer.checkpoint()` (validated by `Trainer.restore`). */
  restore(bytes: Uint8Array): void {
    if (this.busy) throw new Error('ParallelTrainer: a step or run is still in progress; await it first');
    const check = this.scratchTrainer();
    try {
      check.restore(bytes); // validates header and shapes, assigns weights and the policy's calibration
    } finally {
      check.dispose();
    }
    const { header, tensors } = deserializeCheckpoint(bytes);
    try {
      const step = header.meta['step'] as number;
      const optim: Record<string, tf.Tensor> = {};
      const best: Record<string, tf.Tensor> = {};
      for (const [k, t] of Object.entries(tensors)) {
        if (k.startsWith('optim/')) optim[k.slice(6)] = t;
        if (k.startsWith('best/')) best[k.slice(5)] = t;
      }
      const state = parseBestState(header.meta['best'], 'checkpoint');
      this.adam.setState(optim, step);
      this.tracker.load(state, state ? best : undefined);
      this.step = step;
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /** As `Trainer.restoreBest()`. */
  restoreBest(bytes: Uint8Array): void {
    const check = this.scratchTrainer();
    try {
      check.restoreBest(bytes);
    } finally {
      check.dispose();
    }
    const { header, tensors } = deserializeCheckpoint(bytes);
    try {
      this.tracker.load(parseBestState(header.meta['best'], 'best checkpoint'), tensors);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /** Stop the worker threads (idempotent). The main replica stays usable for evaluation and checkpoints. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** Free the optimizer state and best weights (after `close()`); the replica's model and policy belong to the caller. */
  dispose(): void {
    this.tracker.dispose();
    this.adam.dispose();
  }

  private async exclusive<R>(fn: () => Promise<R>): Promise<R> {
    if (this.busy) throw new Error('ParallelTrainer: a step or run is still in progress; await it first');
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private async stepOnce(): Promise<TrainLogEntry> {
    const t0 = Date.now();
    const c = this.config;
    const s = this.step;
    const w = this.options.workers;
    let length = this.replica.maxLength ?? 0;
    if (this.replica.maxLength === undefined) {
      for (let i = 0; i < c.batchSize; i++) length = Math.max(length, this.replica.example(s * c.batchSize + i).input.length);
    }
    readWeights(this.vars, this.layout, this.views.weights);
    await this.pool.step(s, length);
    const slots = Array.from({ length: w }, (_, k) => this.views.stats.subarray(k * STATS_SIZE, (k + 1) * STATS_SIZE));
    const weights = shardWeights(slots.map((x) => x[0]!));
    const mean = (i: number) => combineScalar(slots.map((x) => x[i]!), weights);
    const [taskLoss, policyLoss, accuracy, meanDepth] = [mean(1), mean(2), mean(3), mean(4)];
    const nameBytes = this.views.names.slice(0, Atomics.load(this.views.control, Ctl.namesLength));
    const termNames = JSON.parse(new TextDecoder().decode(nameBytes)) as string[];
    const lossTerms = Object.fromEntries(termNames.map((k, i) => [k, mean(6 + i)]));
    const { grad, present } = combineGradients(
      this.views.grads, this.views.present, weights, this.layout.entries.map((e) => e.offset), this.layout.entries.map((e) => e.size),
    );
    const lr = learningRate(s, c.steps, c.lr, c.warmupSteps, c.minLrRatio);
    const gradNorm = applyCombinedUpdate(this.adam, this.layout, { grad, present, loss: taskLoss + policyLoss }, c.clipNorm, lr, s + 1);
    this.step += 1;
    return { step: this.step, lr, loss: taskLoss + policyLoss, taskLoss, policyLoss, lossTerms, gradNorm, accuracy, meanDepth, timeMs: Date.now() - t0 };
  }

  private scratchTrainer(): Trainer {
    const { model, policy, example } = this.replica;
    return new Trainer({ model, policy, example, config: this.config });
  }

  /** Every tensor a checkpoint holds as weights (`model/...`, all `policy/...`), as `Trainer` names them. */
  private allWeights(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.replica.model.params)) out[`model/${k}`] = v;
    for (const [k, v] of Object.entries(this.replica.policy.variables)) out[`policy/${k}`] = v;
    return out;
  }

  private header(step: number): Record<string, unknown> {
    const { model, policy } = this.replica;
    return {
      step, dataPosition: step * this.config.batchSize, model: model.config,
      policy: { name: policy.name, options: policy.options }, trainer: this.config,
      ...(this.tracker.best ? { best: this.tracker.best } : {}), ...this.options.meta,
    };
  }
}

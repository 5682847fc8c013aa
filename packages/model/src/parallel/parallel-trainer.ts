/**
 * Data-parallel training on worker threads (`@anira/model/node`). The global
 * batch of each update (examples `step*B .. step*B+B-1`, as in `Trainer`) is split
 * into W contiguous shards, one per worker thread; each worker has its own tfjs
 * backend and replica (built by the setup module, see setup.ts) and writes its
 * shard's flat gradient into its slot of a SharedArrayBuffer. The main thread
 * holds the authoritative replica: it combines the slots token-weighted in worker
 * order (combine.ts), clips, checks and applies ONE Adam update (update.ts), and
 * publishes the new weights to the workers before the next update. Evaluation,
 * early stopping, checkpoints and restore are `Trainer`'s own code (training-core.ts:
 * same checkpoint bytes, interchangeable with `Trainer.restore`).
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import type { EvalResult } from '../evaluate.js';
import { runSync } from '../read-loop.js';
import { defaultTrainerConfig, type TrainerConfig } from '../trainer-config.js';
import { trainableVariables, TrainingCore, type TrainLogEntry, type TrainProgress, type TrainRunResult } from '../training-core.js';
import { combineGradients, combineScalar, shardWeights } from './combine.js';
import { layoutOf, readWeights, type VariableLayout } from './layout.js';
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
    throw new AniraInputError(`parallel training: "workers" must be an integer in [1, ${config.batchSize}] (the batch size), got ${w}`);
  }
  for (const k of ['stepTimeoutMs', 'setupTimeoutMs'] as const) {
    const v = options[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= 1)) throw new AniraInputError(`parallel training: "${k}" must be a number >= 1 (ms), got ${v}`);
  }
  const setupModule = moduleUrl(options.setupModule);
  const replica = await loadReplica(setupModule, options.setupData);
  const vars = trainableVariables(replica.model, replica.policy);
  const layout = layoutOf(vars);
  const buffers = allocateShared(w, layout.size, layout.entries.length);
  const views = viewsOf(buffers);
  const pool = new WorkerPool(views, buffers, {
    setupModule, setupData: options.setupData ?? null, ...(options.backend !== undefined ? { backend: options.backend } : {}),
    workers: w, batchSize: config.batchSize, seed: config.seed, warmStartSteps: config.warmStartSteps, penaltyRampSteps: config.penaltyRampSteps, layout,
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
  throw new AniraInputError(`parallel training: "setupModule" must be a URL or an absolute path, got "${m}"`);
}

/**
 * Data-parallel training on worker threads (create it with `createParallelTrainer`):
 * each update's global batch is split across the workers, their gradients are combined
 * token-weighted and one optimizer update is applied on the main replica, whose
 * evaluation, early stopping and checkpoints are those of `Trainer`. Call `close()` to
 * stop the workers and `dispose()` to free the optimizer state.
 */
export class ParallelTrainer extends TrainingCore {
  /** Use `createParallelTrainer`. */
  constructor(
    private readonly options: ParallelTrainerOptions,
    config: TrainerConfig,
    /** The main thread's replica (model, policy, data): the weights checkpoints, evaluation and inference read. */
    readonly replica: ParallelReplica,
    vars: Record<string, tf.Variable>,
    private readonly layout: VariableLayout,
    private readonly views: SharedViews,
    private readonly pool: WorkerPool,
  ) {
    super(replica.model, replica.policy, config, options.meta, 'ParallelTrainer: a step or run is still in progress; await it first', vars);
  }

  /** Each update reads its workers' statistics. */
  readonly readEvery = 1;

  /** Worker threads. */
  get workers(): number {
    return this.options.workers;
  }

  /** One update over the W shards; its log entry (token-weighted means of the shards' values). */
  async trainStep(): Promise<TrainLogEntry> {
    return this.exclusive(() => this.stepOnce());
  }

  /** Train until `untilStep` (default `config.steps`) or early stop, exactly as `Trainer.run`. */
  async run(untilStep = this.config.steps): Promise<TrainRunResult> {
    return this.exclusive(async () => {
      const started = Date.now();
      const end = Math.min(untilStep, this.config.steps);
      const blocked = this.runBlocked();
      if (blocked) return blocked;
      while (this.step < end) {
        const entry = await this.stepOnce();
        const ev = this.evalDue() ? this.evaluate() : undefined;
        const stop = this.afterUpdate(entry, ev, started, this.options);
        if (stop) return stop;
      }
      return this.runFinished();
    });
  }

  /** `run`, under the name every trainer shares. */
  runAsync(untilStep = this.config.steps): Promise<TrainRunResult> {
    return this.run(untilStep);
  }

  /** Held-out evaluation on the main replica (as `Trainer.evaluate`). */
  evaluate(): EvalResult | undefined {
    return runSync(this.evalLoop(this.replica.evalExamples));
  }

  /** `evaluate`, awaited (the main replica reads synchronously). */
  evaluateAsync(): Promise<EvalResult | undefined> {
    return Promise.resolve(this.evaluate());
  }

  /** As `Trainer.restore` (the same code), refused while a step or run is in flight. */
  override restore(bytes: Uint8Array): void {
    this.assertIdle();
    super.restore(bytes);
  }

  /** Stop the worker threads (idempotent). The main replica stays usable for evaluation and checkpoints. */
  override close(): Promise<void> {
    return this.pool.close();
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
    const lr = this.learningRate(s);
    const gradNorm = applyCombinedUpdate(this.adam, this.layout, { grad, present, loss: taskLoss + policyLoss }, c.clipNorm, lr, s + 1);
    this.step += 1;
    return { step: this.step, lr, loss: taskLoss + policyLoss, taskLoss, policyLoss, lossTerms, gradNorm, accuracy, meanDepth, timeMs: Date.now() - t0 };
  }
}

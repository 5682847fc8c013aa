/**
 * One replica of a `StackedTrainer`, seen as a lone run: a `TrainingCore` over a
 * lone model of the replica's config (its weights copied from the stacked model
 * when needed), the replica's own policy (whose variables the stacked trainer
 * updates directly), its own trainer config (its seed), held-out set, early
 * stopping and hooks. Its `checkpoint()`, `bestCheckpoint()`, `useBest()` and
 * evaluation are the lone trainer's, so a replica's files are exactly a lone
 * run's (same names, same header, same format).
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import type { EvalResult } from './evaluate.js';
import type { LoopedTransformer } from './model.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';
import { defaultTrainerConfig, type TrainerConfig } from './trainer-config.js';
import { TrainingCore, type TrainHooks, type TrainLogEntry, type TrainProgress, type TrainRunResult } from './training-core.js';
import type * as tf from '@tensorflow/tfjs-core';

/** What one replica of a stacked run is: a lone run's model, policy, data and hooks. */
export interface StackedReplicaOptions {
  /** A lone model of the replica's config (its `seed` gives the replica's initialisation). */
  readonly model: LoopedTransformer;
  readonly policy: HaltingPolicy;
  /** Training example number `index` of this replica's stream (deterministic). */
  readonly example: (index: number) => Example;
  /** Trainer config; replicas may differ only in `seed`. */
  readonly config?: Partial<TrainerConfig>;
  readonly evalExamples?: readonly Example[];
  /** Extra JSON saved in this replica's checkpoints. */
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly onLog?: (entry: TrainLogEntry) => void;
  readonly onProgress?: (progress: TrainProgress) => void;
}

/** Copies the stacked state of a replica into its lone model (weights; with `optimizer`, Adam's state too). */
export type ReplicaPull = (optimizer: boolean) => void;

/**
 * A replica of a `StackedTrainer` with a lone trainer's API: `checkpoint()`,
 * `bestCheckpoint()`, `useBest()`, `bestEval`, `bestStep`, `lastEval`, `step`,
 * `evaluate()`. Created by the stacked trainer; read `stackedTrainer.replicas`.
 */
export class StackedReplica extends TrainingCore {
  /** The replica stopped (early stopping, or a failure): its lone state no longer follows the stacked model. */
  private detached = false;

  constructor(readonly options: StackedReplicaOptions, private readonly pull: ReplicaPull) {
    super(options.model, options.policy, defaultTrainerConfig(options.config), options.meta,
      'StackedTrainer: an async step or run is still in progress; await it first');
  }

  /** Held-out evaluation of the replica's current weights. */
  evaluate(): EvalResult | undefined {
    return runSync(this.evalStep());
  }

  /** `evaluate` with asynchronous reads. */
  evaluateAsync(): Promise<EvalResult | undefined> {
    return runAsync(this.evalStep());
  }

  /** Refused: a replica's weights are a slice of the stacked model, which its next update would write over. */
  override initModel(): never {
    throw new AniraInputError('initModel: a StackedTrainer replica takes its weights from the stacked model; initialise lone trainers (one per seed) instead', { code: 'invalid-state' });
  }

  override async checkpoint(): Promise<Uint8Array> {
    this.sync(true);
    return super.checkpoint();
  }

  /** Take the stacked state now (weights, and with `optimizer` Adam's state) unless detached. */
  sync(optimizer: boolean): void {
    if (!this.detached) this.pull(optimizer);
  }

  /** Freeze the lone state: the replica stopped (after `sync(true)`) or failed (as it was). */
  detach(): void {
    this.detached = true;
  }

  /** @internal Held-out evaluation as a read loop (weights synced first). */
  *evalStep(): ReadLoop<EvalResult | undefined> {
    this.sync(false);
    return yield* this.evalLoop(this.options.evalExamples);
  }

  /** @internal Whether update `this.step` is followed by an evaluation. */
  isEvalDue(): boolean {
    return this.evalDue();
  }

  /** @internal A run's bookkeeping after an update (see `TrainingCore.afterUpdate`). */
  after(entry: TrainLogEntry, ev: EvalResult | undefined, started: number): TrainRunResult | undefined {
    return this.afterUpdate(entry, ev, started, this.options as TrainHooks);
  }

  /** @internal The result of a run that reached its step budget (or the caller's `untilStep`). */
  finished(): TrainRunResult {
    return this.runFinished();
  }

  /** @internal Set the optimizer state (by checkpoint name, `m/...`, `v/...`) and its step. */
  setOptimizer(state: Readonly<Record<string, tf.Tensor>>, step: number): void {
    this.adam.setState(state, step);
  }
}

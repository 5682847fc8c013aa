/**
 * `StackedTrainer`: K replicas of one config (typically K seeds) trained as one
 * batched model. The replicas' weights are stacked on a leading axis `[K, ...]`
 * (stacked.ts); each update reads every replica's own batch from its own example
 * stream, runs one forward over the K batches (stacked-forward.ts), clips each
 * replica's gradient by its own norm and applies one Adam over the stacked
 * variables and every replica's policy variables (Adam is element-wise, so a
 * replica's update is its lone update). Per replica as in a lone `Trainer`:
 * initialisation (its model's seed), data stream, policy sampling seed, the
 * non-finite check, held-out evaluation, early stopping and checkpoints (each
 * replica is a `StackedReplica`, a lone `TrainingCore`). A replica that stops
 * (target accuracy, patience) or fails (non-finite loss or gradient norm) is
 * frozen: its weights no longer change while the others continue.
 */
import { haltingPhase } from './schedule.js';
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '@anira/tensor';
import { collate } from './batch.js';
import { NonFiniteTrainingError } from './errors.js';
import type { LoopedTransformer } from './model.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';
import { learningRate } from './schedule.js';
import { copyReplica, replicaSlice, stackModels } from './stacked.js';
import { replicaPolicyKey, stackedGradients } from './stacked-gradients.js';
import { StackedReplica, type StackedReplicaOptions } from './stacked-replica.js';
import { tidyTyped } from './tidy.js';
import type { TrainerConfig } from './trainer-config.js';
import type { TrainLogEntry, TrainRunResult } from './training-core.js';

export interface StackedTrainerOptions {
  /** The replicas, K >= 1: same model config, policy and trainer config except the seeds. */
  readonly replicas: readonly StackedReplicaOptions[];
  /** Pad every batch to this length (default: longest in the update's K batches). */
  readonly maxLength?: number;
}

/** Where a `run` left each replica. */
export interface StackedRunResult {
  /** Updates applied so far (to the replicas still training). */
  readonly step: number;
  /** Per replica: why it stopped (`steps` while it trains on), or the error that stopped it. */
  readonly replicas: readonly (TrainRunResult | NonFiniteTrainingError)[];
}

/**
 * Trains K replicas of one config as one batched model; see the module comment.
 * `replicas[k]` has the lone trainer API (checkpoints, best weights, evaluation)
 * for replica k. `run` reads synchronously, `runAsync` with `await data()`.
 */
export class StackedTrainer {
  /** Updates applied so far. */
  step = 0;
  readonly replicas: readonly StackedReplica[];
  /** The stacked model (owned by the trainer). */
  readonly model: LoopedTransformer;
  readonly config: TrainerConfig;
  private readonly adam: Adam;
  private readonly vars: Record<string, tf.Variable>;
  /** Per replica: still training. */
  private readonly active: boolean[];
  /** Per replica: how it stopped, once it has. */
  private readonly outcomes: (TrainRunResult | NonFiniteTrainingError | undefined)[];
  private busy = false;

  constructor(private readonly options: StackedTrainerOptions) {
    const reps = options.replicas;
    if (reps.length === 0) throw new AniraInputError('StackedTrainer: "replicas" must hold at least 1 replica, got 0');
    this.replicas = reps.map((r, k) => new StackedReplica(r, (opt) => this.pull(k, opt)));
    const first = this.replicas[0]!;
    this.config = first.config;
    checkSameExceptSeed(this.replicas);
    this.model = stackModels(reps.map((r) => r.model));
    this.vars = {};
    for (const [name, v] of Object.entries(this.model.params)) this.vars[`model/${name}`] = v;
    reps.forEach((r, k) => {
      for (const [name, v] of Object.entries(r.policy.variables)) if (v.trainable) this.vars[replicaPolicyKey(k, name)] = v;
    });
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    this.adam = new Adam(this.vars, { beta1, beta2, epsilon, weightDecay });
    this.active = reps.map(() => true);
    this.outcomes = reps.map(() => undefined);
  }

  /** Train until `untilStep` (default `config.steps`) or until every replica has stopped. */
  run(untilStep = this.config.steps): StackedRunResult {
    if (this.busy) throw new Error('StackedTrainer: an async run is still in progress; await it first');
    return runSync(this.runLoop(untilStep));
  }

  /** `run` with asynchronous reads (WebGPU, browsers): the same updates and results. */
  async runAsync(untilStep = this.config.steps): Promise<StackedRunResult> {
    if (this.busy) throw new Error('StackedTrainer: an async run is still in progress; await it first');
    this.busy = true;
    try {
      return await runAsync(this.runLoop(untilStep));
    } finally {
      this.busy = false;
    }
  }

  /** Free the stacked model, the optimizer and the replicas' state (their lone models and policies belong to the caller). */
  dispose(): void {
    this.releaseStacked();
    for (const r of this.replicas) r.dispose();
  }

  /**
   * Free only the stacked model and its optimizer once training is over; each
   * replica (with its best weights, checkpoints and evaluation) stays usable
   * until its own `dispose()`. The trainer cannot train after this.
   */
  releaseStacked(): void {
    this.adam.dispose();
    this.model.dispose();
    this.active.fill(false);
  }

  private *runLoop(untilStep: number): ReadLoop<StackedRunResult> {
    const started = Date.now();
    const end = Math.min(untilStep, this.config.steps);
    while (this.step < end && this.active.some(Boolean)) {
      const entries = yield* this.stepLoop();
      for (const [k, rep] of this.replicas.entries()) {
        const entry = entries[k];
        if (!entry || !this.active[k]) continue;
        const ev = rep.isEvalDue() ? yield* rep.evalStep() : undefined;
        const stop = rep.after(entry, ev, started);
        if (stop) this.stopReplica(k, stop);
      }
    }
    return { step: this.step, replicas: this.replicas.map((r, k) => this.outcomes[k] ?? r.finished()) };
  }

  /** Replica k stopped with `outcome`: its lone state takes the stacked one a last time, then stays. */
  private stopReplica(k: number, outcome: TrainRunResult | NonFiniteTrainingError): void {
    const rep = this.replicas[k]!;
    rep.sync(true); // a failure is caught before its update: the stacked slices still hold the last finite state
    rep.detach();
    this.active[k] = false;
    this.outcomes[k] = outcome;
  }

  /** One update of every active replica; returns each replica's log entry (undefined: inactive or failed now). */
  private *stepLoop(): ReadLoop<(TrainLogEntry | undefined)[]> {
    const t0 = Date.now();
    const c = this.config;
    const s = this.step;
    const k = this.replicas.length;
    const examples = this.replicas.flatMap((r) => Array.from({ length: c.batchSize }, (_, i) => r.options.example(s * c.batchSize + i)));
    const batch = collate(examples, this.options.maxLength);
    const lr = learningRate(s, c.steps, c.lr, c.warmupSteps, c.minLrRatio);
    const policies = this.replicas.map((r) => r.options.policy);
    const seeds = this.replicas.map((r) => r.config.seed);
    let termNames: readonly string[] = [];
    let clipped: Record<string, tf.Tensor> = {};
    const stats = tidyTyped(() => {
      const g = stackedGradients(this.model, policies, this.active, batch, seeds, s, c.clipNorm, haltingPhase(s, c.warmStartSteps, c.penaltyRampSteps));
      termNames = g.termNames;
      clipped = Object.fromEntries(Object.entries(g.grads).map(([n, t]) => [n, tf.keep(t)]));
      return g.stats; // [K, 5 + terms], one read
    });
    const width = 5 + termNames.length;
    let v: ArrayLike<number>;
    try {
      v = (yield [stats])[0]!;
      // as a lone run: a replica whose loss or gradient norm is not finite keeps the weights before this update
      for (let r = 0; r < k; r++) {
        if (!this.active[r]) continue;
        const loss = v[r * width]! + v[r * width + 1]!;
        const gradNorm = v[r * width + width - 1]!;
        if (!Number.isFinite(loss)) this.stopReplica(r, new NonFiniteTrainingError(s + 1, 'loss', loss));
        else if (!Number.isFinite(gradNorm)) this.stopReplica(r, new NonFiniteTrainingError(s + 1, 'gradient norm', gradNorm));
      }
      this.applyUpdate(clipped, lr);
    } finally {
      stats.dispose();
      tf.dispose(Object.values(clipped));
    }
    this.step += 1;
    this.replicas.forEach((r, k) => {
      if (this.active[k]) r.step = this.step;
    });
    return this.replicas.map((_, r) => {
      if (!this.active[r]) return undefined;
      const at = (i: number) => v[r * width + i]!;
      const [taskLoss, policyLoss, accuracy, meanDepth] = [at(0), at(1), at(2), at(3)];
      const lossTerms = Object.fromEntries(termNames.map((n, i) => [n, at(4 + i)]));
      return { step: this.step, lr, loss: taskLoss + policyLoss, taskLoss, policyLoss, lossTerms, gradNorm: at(width - 1), accuracy, meanDepth, timeMs: Date.now() - t0 };
    });
  }

  /** Adam over every variable; stopped replicas' slices and policy variables keep their values. */
  private applyUpdate(grads: Record<string, tf.Tensor>, lr: number): void {
    const frozen = this.active.map((a) => !a);
    const policyGrads = Object.fromEntries(Object.entries(grads).filter(([n]) => {
      const r = n.startsWith('r') ? Number(n.slice(1, n.indexOf('/'))) : undefined;
      return r === undefined || !frozen[r];
    }));
    if (!frozen.some(Boolean)) {
      tf.tidy(() => this.adam.apply(policyGrads, lr));
      return;
    }
    tf.tidy(() => {
      const before = Object.fromEntries(Object.entries(this.model.params).map(([n, p]) => [n, tf.clone(p)]));
      this.adam.apply(policyGrads, lr);
      const keep = tf.tensor1d(frozen.map((f) => (f ? 0 : 1)), 'float32'); // [K]
      for (const [n, p] of Object.entries(this.model.params)) {
        const cond = tf.cast(tf.mul(tf.onesLike(p), tf.reshape(keep, [frozen.length, ...p.shape.slice(1).map(() => 1)])), 'bool');
        p.assign(tf.where(cond, p, before[n]!));
      }
    });
  }

  /** Copy replica k's stacked weights (and with `optimizer`, its Adam state) into its lone trainer. */
  private pull(k: number, optimizer: boolean): void {
    const rep = this.replicas[k]!;
    copyReplica(this.model, k, rep.options.model);
    if (!optimizer) return;
    tf.tidy(() => {
      const state = this.adam.state();
      const out: Record<string, tf.Tensor> = {};
      for (const mv of ['m', 'v']) {
        for (const name of Object.keys(this.model.params)) out[`${mv}/model/${name}`] = replicaSlice(state[`${mv}/model/${name}`]!, k);
        for (const [name, v] of Object.entries(rep.options.policy.variables)) {
          if (v.trainable) out[`${mv}/policy/${name}`] = state[`${mv}/${replicaPolicyKey(k, name)}`]!;
        }
      }
      rep.setOptimizer(out, this.adam.step);
    });
  }
}

/** Replicas may differ only in their seed: trainer config, policy and options must match replica 0's. */
function checkSameExceptSeed(replicas: readonly StackedReplica[]): void {
  const [first] = replicas;
  if (!first) return;
  const ref = first.config as unknown as Record<string, unknown>;
  const policy = first.options.policy;
  replicas.forEach((r, i) => {
    const cfg = r.config as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(ref), ...Object.keys(cfg)])) {
      if (key !== 'seed' && cfg[key] !== ref[key]) {
        throw new AniraInputError(`StackedTrainer: replica ${i} has trainer "${key}" ${JSON.stringify(cfg[key])}, replica 0 has ${JSON.stringify(ref[key])}; replicas differ only in "seed"`);
      }
    }
    const p = r.options.policy;
    if (p.name !== policy.name || JSON.stringify(p.options) !== JSON.stringify(policy.options)) {
      throw new AniraInputError(`StackedTrainer: replica ${i} has policy "${p.name}" ${JSON.stringify(p.options)}, replica 0 has "${policy.name}" ${JSON.stringify(policy.options)}`);
    }
    if (i > 0 && p === policy) throw new AniraInputError(`StackedTrainer: replica ${i} shares replica 0's policy object; give each replica its own policy`);
  });
}

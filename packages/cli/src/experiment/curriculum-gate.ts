/**
 * The accuracy-gated size curriculum, `task.curriculum: { gate: { accuracy: a } }`.
 *
 * Training starts with only the smallest training size open. At each held-out
 * evaluation (every `trainer.evalEvery` updates, and the last) the gate measures
 * token accuracy on the selection set's examples of each open size, separately;
 * when EVERY open size reaches `a`, the next size opens, from the first example of
 * the next update on (one size per evaluation). Per size rather than pooled: a pooled
 * accuracy weights the sizes by their target tokens, so a mastered small size could
 * carry a newly opened one over the gate before it is learned.
 *
 * The training stream reads the gate when it draws an example (`openAt`): example
 * `i` draws from the sizes whose opening index is at most `i`. A size opens at the
 * index of the next update's first example, which no update has drawn yet, so the
 * stream stays a pure function of the index and the recorded openings (what a
 * resume restores, and what `splitReport` replays).
 *
 * Early stopping refers to the full curriculum: while a size is closed, neither
 * `trainer.patience` nor `trainer.targetAccuracy` can stop the run (the trainer is
 * built without them, `withoutEarlyStopping`, and the gate applies them): patience
 * counts only evaluations made once every size is open (without an improvement of
 * the best held-out accuracy, as the trainer counts them), and the target is checked
 * only at those. The best weights (`best.anira`) stay the trainer's: the best
 * evaluation on the whole selection set over the whole run.
 *
 * The gate's state (openings, the patience count) is saved in the checkpoint header
 * as `curriculum` (the trainer's extensible `meta`, read when each checkpoint is
 * written), so it is written atomically with the weights and a resumed run continues
 * exactly where an uninterrupted one would be.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { defaultTrainerConfig, evaluate, evaluateAsync, type EvalOptions, type TrainerConfig } from '@anira/model';
import type { HaltingPolicy } from '@anira/halting';
import type { LoopedTransformer } from '@anira/model';
import type { Example } from '@anira/tasks';
import { UsageError } from '../errors.js';
import type { ExperimentConfig } from './config.js';

/** A size the gate opened: at the evaluation after update `step`, for training examples from `index` on. */
export interface GateOpening {
  readonly size: number;
  readonly step: number;
  readonly index: number;
}

/** The gate's state, as saved in the checkpoint header (`curriculum`). */
export interface GateState {
  readonly accuracy: number;
  readonly opened: readonly GateOpening[];
  /** Evaluations without improvement since every size opened (the patience count). */
  readonly evalsSinceBest: number;
}

/** What the gate sees at one held-out evaluation. */
export interface GateEvaluation {
  /** Token accuracy of each open size on its part of the selection set (needed while a size is closed). */
  readonly bySize?: ReadonlyMap<number, number>;
  /** Token accuracy on the whole selection set (the trainer's evaluation). */
  readonly accuracy: number;
  /** This evaluation is the trainer's new best. */
  readonly improved: boolean;
}

/** The metrics-log record of an evaluation while a size was closed (the entry's `curriculum`). */
export interface GateRecord {
  /** The sizes open during the updates before this evaluation. */
  readonly open: readonly number[];
  /** Token accuracy per open size (keyed by size). */
  readonly accuracy: Readonly<Record<string, number>>;
  /** The size this evaluation opened. */
  readonly opened?: number;
}

/** What the gate decided at an evaluation: its log record (while a size was closed), or an early stop. */
export interface GateDecision {
  readonly record?: GateRecord;
  readonly stop?: 'target-accuracy' | 'patience';
}

export interface SizeGateOptions {
  /** The training sizes, in any order (opened ascending). */
  readonly sizes: readonly number[];
  /** The gate: token accuracy every open size must reach. */
  readonly accuracy: number;
  /** Examples per update (an opening's index is its step times this). */
  readonly batchSize: number;
  /** `trainer.patience`, applied once every size is open. */
  readonly patience?: number;
  /** `trainer.targetAccuracy`, applied once every size is open. */
  readonly targetAccuracy?: number;
}

/** The gate of a gated curriculum: its openings, the stream's open sizes, early stopping once complete. */
export class SizeGate {
  /** The training sizes ascending (with repeats, as the stream draws them). */
  private readonly sorted: readonly number[];
  /** The distinct sizes ascending: the order they open in. */
  private readonly distinct: readonly number[];
  private openings: GateOpening[];
  private since = 0;

  constructor(private readonly options: SizeGateOptions) {
    this.sorted = [...options.sizes].sort((a, b) => a - b);
    this.distinct = [...new Set(this.sorted)];
    const first = this.distinct[0];
    if (first === undefined) throw new Error('SizeGate: no training sizes');
    this.openings = [{ size: first, step: 0, index: 0 }];
  }

  /** The gate's accuracy. */
  get accuracy(): number {
    return this.options.accuracy;
  }

  /** The sizes opened so far, in order, with where each opened. */
  get opened(): readonly GateOpening[] {
    return this.openings;
  }

  /** The sizes open now, ascending. */
  get openSizes(): number[] {
    return this.openings.map((o) => o.size);
  }

  /** The sizes not yet open, ascending. */
  get closedSizes(): number[] {
    return this.distinct.slice(this.openings.length);
  }

  /** Every size is open. */
  get complete(): boolean {
    return this.openings.length === this.distinct.length;
  }

  /** Evaluations without improvement since every size opened. */
  get evalsSinceBest(): number {
    return this.since;
  }

  /** A resumed run that had already run out of patience (with every size open). */
  get exhausted(): boolean {
    return this.complete && this.options.patience !== undefined && this.since >= this.options.patience;
  }

  /** How many of the ascending training sizes example `index` draws from (an `OpenSizes` for the stream). */
  readonly openAt = (index: number): number => {
    let largest = 0;
    for (const o of this.openings) if (o.index <= index) largest = o.size;
    return this.sorted.filter((s) => s <= largest).length;
  };

  /**
   * Record the held-out evaluation after update `step`. While a size is closed: the
   * gate's record, and the next size opens when every open size reached the gate.
   * Once every size is open (before this evaluation): the patience count and target
   * accuracy, in the trainer's order (the count first, then the target, then patience).
   */
  observe(step: number, ev: GateEvaluation): GateDecision {
    if (!this.complete) {
      const open = this.openSizes;
      const accuracy: Record<string, number> = {};
      let met = true;
      for (const size of open) {
        const a = ev.bySize?.get(size);
        if (a === undefined) throw new Error(`SizeGate.observe: no accuracy for open size ${size}`);
        accuracy[String(size)] = a;
        if (!(a >= this.options.accuracy)) met = false;
      }
      const next = this.distinct[this.openings.length];
      if (!met || next === undefined) return { record: { open, accuracy } };
      this.openings.push({ size: next, step, index: step * this.options.batchSize });
      return { record: { open, accuracy, opened: next } };
    }
    this.since = ev.improved ? 0 : this.since + 1;
    const { targetAccuracy, patience } = this.options;
    if (targetAccuracy !== undefined && ev.accuracy >= targetAccuracy) return { stop: 'target-accuracy' };
    if (patience !== undefined && this.since >= patience) return { stop: 'patience' };
    return {};
  }

  /** The state to save in a checkpoint header. */
  state(): GateState {
    return { accuracy: this.options.accuracy, opened: this.openings.map((o) => ({ ...o })), evalsSinceBest: this.since };
  }

  /**
   * Restore the state saved by `state()` in the checkpoint of update `step` (`where`
   * names the file). A state that does not fit this gate (another gate accuracy, other
   * sizes, batch size, or an opening after the checkpoint) is a one-line input error.
   */
  restore(raw: unknown, where: string, step: number): void {
    const bad = (why: string) =>
      new AniraInputError(`${where}: header field "curriculum" ${why}; the checkpoint was not written by this run's gated curriculum (task.curriculum.gate)`, { code: 'invalid-file' });
    if (raw === undefined || raw === null) throw bad('is missing');
    if (typeof raw !== 'object') throw bad(`must be an object, got ${JSON.stringify(raw)}`);
    const r = raw as Partial<Record<keyof GateState, unknown>>;
    if (r.accuracy !== this.options.accuracy) throw bad(`has gate accuracy ${JSON.stringify(r.accuracy)}, the config ${this.options.accuracy}`);
    if (!(typeof r.evalsSinceBest === 'number' && Number.isInteger(r.evalsSinceBest) && r.evalsSinceBest >= 0)) throw bad(`has "evalsSinceBest" ${JSON.stringify(r.evalsSinceBest)}, not a count`);
    if (!Array.isArray(r.opened) || r.opened.length < 1 || r.opened.length > this.distinct.length) {
      throw bad(`must list 1 to ${this.distinct.length} opened sizes, got ${JSON.stringify(r.opened)}`);
    }
    const opened: GateOpening[] = [];
    let previous = 0;
    for (const [k, o] of (r.opened as unknown[]).entries()) {
      const { size, step: at, index } = (o ?? {}) as Partial<Record<keyof GateOpening, unknown>>;
      const first = k === 0 ? 0 : previous;
      const last = k === 0 ? 0 : step;
      if (!(typeof size === 'number' && size === this.distinct[k] && typeof at === 'number' && Number.isInteger(at) && at >= first && at <= last && index === at * this.options.batchSize)) {
        throw bad(`opening ${k + 1} must be { size: ${String(this.distinct[k])}, step: an update in [${first}, ${last}], index: step x ${this.options.batchSize} }, got ${JSON.stringify(o)}`);
      }
      opened.push({ size, step: at, index: at * this.options.batchSize });
      previous = at;
    }
    if (r.evalsSinceBest > 0 && opened.length < this.distinct.length) throw bad(`counts ${r.evalsSinceBest} evaluations without improvement while a size is closed`);
    this.openings = opened;
    this.since = r.evalsSinceBest;
  }

  /** One line: the gate and where each size opened, e.g. `curriculum gate 0.95: size 1 from the start, 2 after update 2500; never opened: 3`. */
  describe(): string {
    const opened = this.openings.map((o, k) => `${k === 0 ? 'size ' : ''}${o.size} ${o.step === 0 ? 'from the start' : `after update ${o.step}`}`);
    const closed = this.closedSizes;
    return `curriculum gate ${this.options.accuracy}: ${opened.join(', ')}${closed.length ? `; never opened: ${closed.join(', ')}` : ''}`;
  }

  /** What `summary.json` records: the gate, each opened size with its update and first example, the sizes never opened. */
  summary(): { accuracy: number; opened: GateOpening[]; closed: number[] } {
    return { accuracy: this.options.accuracy, opened: this.openings.map((o) => ({ ...o })), closed: this.closedSizes };
  }
}

/** The gate of a config's curriculum (undefined: no curriculum, or a fixed schedule). */
export function gateOf(cfg: ExperimentConfig): { readonly accuracy: number } | undefined {
  return cfg.task.curriculum?.gate;
}

/** The resolved trainer config of a run (its `trainer` with the run's seed, defaults filled in). */
const trainerOf = (cfg: ExperimentConfig): TrainerConfig => defaultTrainerConfig({ seed: cfg.seed, ...(cfg.trainer as Partial<TrainerConfig>) });

/**
 * The trainer config of a gated run: the run's own without `patience` and
 * `targetAccuracy`, which the gate applies once every size is open.
 */
export function withoutEarlyStopping(config: Partial<TrainerConfig>): Partial<TrainerConfig> {
  const { patience: _patience, targetAccuracy: _target, ...rest } = config;
  return rest;
}

/** The gate of a gated run over training sizes `sizes` (undefined without one). */
export function sizeGateOf(cfg: ExperimentConfig, sizes: readonly number[]): SizeGate | undefined {
  const gate = gateOf(cfg);
  if (!gate) return undefined;
  const t = trainerOf(cfg);
  return new SizeGate({
    sizes, accuracy: gate.accuracy, batchSize: t.batchSize,
    ...(t.patience !== undefined ? { patience: t.patience } : {}), ...(t.targetAccuracy !== undefined ? { targetAccuracy: t.targetAccuracy } : {}),
  });
}

/** A gated curriculum needs held-out evaluations to open sizes: `trainer.evalEvery` at least 1 (an input error otherwise). */
export function checkGatedCurriculum(cfg: ExperimentConfig): void {
  if (!gateOf(cfg)) return;
  const { evalEvery } = trainerOf(cfg);
  if (evalEvery < 1) {
    throw new UsageError(`"task.curriculum.gate" opens sizes at held-out evaluations, so "trainer.evalEvery" must be an integer in [1, 1e9], got ${evalEvery}`, { field: 'trainer.evalEvery' });
  }
}

/**
 * The one-line refusal of a gated curriculum with `--workers` (each worker thread
 * builds its own training stream once, at setup, and cannot see what the gate opens)
 * or with stacked seeds (a stacked seed's early stopping is the stacked trainer's own
 * and cannot wait for its curriculum).
 */
export function gateRefusal(what: 'workers' | 'seeds', flag: string): UsageError {
  const why = what === 'workers'
    ? 'each worker thread draws its examples from a stream built once at its start, which cannot follow the sizes the gate opens; train in one thread (--workers 1)'
    : 'a stacked seed cannot hold its early stopping back until its curriculum is complete; train the seeds one by one (without --seeds / --stack-seeds / "stackSeeds")';
  return new UsageError(`${flag}: not with "task.curriculum.gate" (an accuracy-gated curriculum): ${why}`, { field: flag });
}

/** The selection set by size (a size listed twice in the training sizes gets both its parts). */
export function examplesBySize(parts: readonly { size: number; examples: readonly Example[] }[]): Map<number, Example[]> {
  const out = new Map<number, Example[]>();
  for (const { size, examples } of parts) out.set(size, [...(out.get(size) ?? []), ...examples]);
  return out;
}

/**
 * Token accuracy of each of `sizes` on its part of the selection set (`bySize`), with
 * the trainer's own evaluation (real skipping inference, the trainer's batch size and
 * seed); `useAsync` reads with `await data()` (WebGPU). Evaluation changes no state.
 */
export async function accuracyBySize(
  model: LoopedTransformer, policy: HaltingPolicy, bySize: ReadonlyMap<number, readonly Example[]>, sizes: readonly number[], options: EvalOptions, useAsync: boolean,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const size of sizes) {
    const examples = bySize.get(size) ?? [];
    const r = useAsync ? await evaluateAsync(model, policy, examples, options) : evaluate(model, policy, examples, options);
    out.set(size, r.accuracy);
  }
  return out;
}

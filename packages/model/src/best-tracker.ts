/**
 * Early stopping and best-weights keeping for the trainer. After every held-out
 * evaluation the tracker compares token accuracy with the best so far: an
 * improvement by more than `minDelta` snapshots every trainable tensor (cloned,
 * owned here) and resets the patience counter; otherwise the counter grows, and the
 * run stops once it reaches `patience`. Its state (best step, best evaluation,
 * evaluations since the best) goes into the checkpoint header and the snapshot into
 * the checkpoint body under `best/`, so a resumed run stops exactly where an
 * uninterrupted one would.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { EvalResult } from './evaluate.js';

/** The tracker's scalar state, as stored in checkpoint headers. */
export interface BestState {
  readonly step: number;
  readonly eval: EvalResult;
  readonly evalsSinceBest: number;
}

export class BestTracker {
  private state: BestState | undefined;
  private since = 0;
  /** Cloned weights of the best evaluation, by checkpoint name (`model/...`, `policy/...`). */
  private snapshot: Record<string, tf.Tensor> | undefined;

  constructor(private readonly patience: number | undefined, private readonly minDelta: number) {}

  get best(): BestState | undefined {
    return this.state ? { ...this.state, evalsSinceBest: this.since } : undefined;
  }

  /** True when the run already ran out of patience (a resumed run that had stopped). */
  get exhausted(): boolean {
    return this.patience !== undefined && this.state !== undefined && this.since >= this.patience;
  }

  /** Weights of the best evaluation (owned by the tracker; do not dispose). */
  get weights(): Readonly<Record<string, tf.Tensor>> | undefined {
    return this.snapshot;
  }

  /** Record an evaluation at `step`; returns true when patience is exhausted. */
  observe(step: number, ev: EvalResult, weights: Readonly<Record<string, tf.Tensor>>): boolean {
    if (!this.state || ev.accuracy > this.state.eval.accuracy + this.minDelta) {
      this.state = { step, eval: ev, evalsSinceBest: 0 };
      this.since = 0;
      this.replace(Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, tf.clone(v)])));
      return false;
    }
    this.since += 1;
    return this.patience !== undefined && this.since >= this.patience;
  }

  /** Restore state and snapshot from a checkpoint (tensors are cloned; the caller keeps its own). */
  load(state: BestState | undefined, weights: Readonly<Record<string, tf.Tensor>> | undefined): void {
    this.state = state;
    this.since = state?.evalsSinceBest ?? 0;
    this.replace(weights ? Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, tf.clone(v)])) : undefined);
  }

  private replace(next: Record<string, tf.Tensor> | undefined): void {
    if (this.snapshot) tf.dispose(Object.values(this.snapshot));
    this.snapshot = next;
  }

  dispose(): void {
    this.replace(undefined);
  }
}

/** Validate a `best` record read from a checkpoint header; undefined when absent. */
export function parseBestState(raw: unknown, where: string): BestState | undefined {
  if (raw === undefined || raw === null) return undefined;
  const r = raw as Partial<BestState>;
  const ok = typeof r.step === 'number' && Number.isInteger(r.step) && r.step >= 0 &&
    typeof r.evalsSinceBest === 'number' && Number.isInteger(r.evalsSinceBest) && r.evalsSinceBest >= 0 &&
    typeof r.eval === 'object' && r.eval !== null && typeof r.eval.accuracy === 'number';
  if (!ok) throw new AniraInputError(`${where}: header field "best" must be { step, eval, evalsSinceBest } with non-negative integers, got ${JSON.stringify(raw)}`, { code: 'invalid-file' });
  return r as BestState;
}

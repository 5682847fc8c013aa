/**
 * The frozen-token K/V cache of skipping inference. Per shared layer r it holds
 * the keys and values `[B*T, C]` of every row at that row's last executed
 * iteration: a halted token stops updating its rows but stays attendable. Each
 * iteration `update` merges the rows that ran into the cached ones (through the
 * iteration's row plan: all rows, `where` on a mask, or a row scatter) and stages
 * the result; `commit` makes the staged tensors current once the iteration's
 * tidy is over; `dispose` frees everything, staged or not.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RowPlan } from './row-plan.js';

/**
 * Per shared layer, the keys and values `[B*T, C]` of every token at its last executed
 * iteration (a halted token's stay, frozen and attendable). `update` merges the rows
 * that ran this iteration and stages the result, `commit` makes it current, `read`
 * returns a layer's current tensors, `dispose` frees everything. Owns its tensors.
 */
export class KvCache {
  private keys: tf.Tensor2D[];
  private values: tf.Tensor2D[];
  private staged: { keys: tf.Tensor2D[]; values: tf.Tensor2D[] } = { keys: [], values: [] };

  /** `layers` caches of `rows` x `width` zeros (no row has run yet). */
  constructor(layers: number, rows: number, width: number) {
    this.keys = Array.from({ length: layers }, () => tf.zeros([rows, width]) as tf.Tensor2D);
    this.values = Array.from({ length: layers }, () => tf.zeros([rows, width]) as tf.Tensor2D);
  }

  /** Current keys and values `[B*T, C]` of layer `r` (owned by the cache). */
  read(r: number): { k: tf.Tensor2D; v: tf.Tensor2D } {
    return { k: this.keys[r]!, v: this.values[r]! };
  }

  /**
   * Layer `r`'s full keys and values `[B*T, C]` for this iteration: rows that ran
   * (`k`, `v` `[N, C]`) replace their cached rows. The result is staged (kept out
   * of the caller's tidy) until `commit`.
   */
  update(r: number, k: tf.Tensor2D, v: tf.Tensor2D, plan: RowPlan): { k: tf.Tensor2D; v: tf.Tensor2D } {
    const old = this.read(r);
    const full = { k: tf.keep(plan.merge(k, old.k)), v: tf.keep(plan.merge(v, old.v)) };
    this.staged.keys[r] = full.k;
    this.staged.values[r] = full.v;
    return full;
  }

  /** Make the staged layers current (layers not updated this iteration keep their rows). */
  commit(): void {
    this.staged.keys.forEach((k, r) => { this.keys[r]!.dispose(); this.keys[r] = k; });
    this.staged.values.forEach((v, r) => { this.values[r]!.dispose(); this.values[r] = v; });
    this.staged = { keys: [], values: [] };
  }

  dispose(): void {
    tf.dispose([...this.keys, ...this.values, ...this.staged.keys, ...this.staged.values].filter((t) => t !== undefined));
    this.keys = [];
    this.values = [];
    this.staged = { keys: [], values: [] };
  }
}

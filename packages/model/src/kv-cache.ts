/**
 * The frozen-token K/V cache of skipping inference. Per shared layer r it holds
 * the keys and values `[B*T, C]` of every row at that row's last executed
 * iteration: a halted token stops updating its rows but stays attendable. Each
 * iteration `update` merges the rows that ran into the cached ones (through the
 * iteration's row plan: all rows, `where` on a mask, or a row scatter, which on
 * wasm writes the rows into the cached tensor in place) and stages a new result;
 * `commit` makes the staged tensors current once the iteration's tidy is over;
 * `dispose` frees everything, staged or not. A layer's zeros are made only when
 * a non-dense plan first needs old rows (with no padding the first iteration is
 * dense and replaces every row), and with `tf.fill`, which the wasm backend
 * writes in its heap, where `tf.zeros` builds a JS array and copies it in.
 * A one-call layer (row-plan.ts, tensor's `layerRowsByKernel`) writes its rows
 * into the current tensors in place instead of `update`; over every token it
 * asks `read` for tensors left uninitialized, since it overwrites them all.
 */
import * as tf from '@tensorflow/tfjs-core';
import { heapUninitialized } from '@anira/tensor';
import type { RowPlan } from './row-plan.js';

/**
 * Per shared layer, the keys and values `[B*T, C]` of every token at its last executed
 * iteration (a halted token's stay, frozen and attendable). `update` merges the rows
 * that ran this iteration and stages the result, `commit` makes it current, `read`
 * returns a layer's current tensors, `dispose` frees everything. Owns its tensors.
 */
export class KvCache {
  /** Per layer; undefined until a row has run or old rows were first needed. */
  private keys: Array<tf.Tensor2D | undefined>;
  private values: Array<tf.Tensor2D | undefined>;
  private staged: { keys: tf.Tensor2D[]; values: tf.Tensor2D[] } = { keys: [], values: [] };

  /** `layers` caches of `rows` x `width`, zeros until rows run (no row has run yet). */
  constructor(layers: number, private readonly rows: number, private readonly width: number) {
    this.keys = new Array<tf.Tensor2D | undefined>(layers).fill(undefined);
    this.values = new Array<tf.Tensor2D | undefined>(layers).fill(undefined);
  }

  /**
   * Current keys and values `[B*T, C]` of layer `r` (owned by the cache; kept out of
   * any tidy). A layer with none yet gets zeros, or, with `overwrite` (the caller
   * writes every row before any read: a one-call layer over every token), tensors
   * left uninitialized where the backend allows it.
   */
  read(r: number, overwrite = false): { k: tf.Tensor2D; v: tf.Tensor2D } {
    const shape = [this.rows, this.width] as const;
    const make = () => tf.keep((overwrite ? heapUninitialized(shape) : undefined) ?? (tf.fill([...shape], 0) as tf.Tensor2D));
    const k = (this.keys[r] ??= make());
    const v = (this.values[r] ??= make());
    return { k, v };
  }

  /**
   * Layer `r`'s full keys and values `[B*T, C]` for this iteration: rows that ran
   * (`k`, `v` `[N, C]`) replace their cached rows. A new result is staged (kept out
   * of the caller's tidy) until `commit`; rows written into the cached tensor in
   * place need no staging.
   */
  update(r: number, k: tf.Tensor2D, v: tf.Tensor2D, plan: RowPlan): { k: tf.Tensor2D; v: tf.Tensor2D } {
    if (plan.kind === 'dense') {
      this.staged.keys[r] = tf.keep(k);
      this.staged.values[r] = tf.keep(v);
      return { k, v };
    }
    const old = this.read(r);
    const full = { k: plan.mergeInto(k, old.k), v: plan.mergeInto(v, old.v) }; // old itself where written in place
    if (full.k !== old.k) this.staged.keys[r] = tf.keep(full.k);
    if (full.v !== old.v) this.staged.values[r] = tf.keep(full.v);
    return full;
  }

  /** Make the staged layers current (layers not updated this iteration keep their rows). */
  commit(): void {
    this.staged.keys.forEach((k, r) => { this.keys[r]?.dispose(); this.keys[r] = k; });
    this.staged.values.forEach((v, r) => { this.values[r]?.dispose(); this.values[r] = v; });
    this.staged = { keys: [], values: [] };
  }

  dispose(): void {
    tf.dispose([...this.keys, ...this.values, ...this.staged.keys, ...this.staged.values].filter((t): t is tf.Tensor2D => t !== undefined));
    this.keys = [];
    this.values = [];
    this.staged = { keys: [], values: [] };
  }
}

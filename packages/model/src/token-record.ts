/**
 * Per-token bookkeeping of the inference loop, in plain JS (no tensors): which
 * tokens are still active, their exit depth, prediction and executed FLOPs, and
 * the per-step predictions and halting probabilities. Arrays are `[B*T]` row-major.
 */
import type { Batch } from './batch.js';
import type { ModelConfig } from './config.js';
import { iterationFlops, keysPerToken, layerFlops } from './flops.js';
import type { ReadValues } from './read-loop.js';

export class TokenRecord {
  /** 1 while the token still runs (padding never does). */
  readonly active: Uint8Array;
  readonly exitDepth: Int32Array;
  readonly prediction: Int32Array;
  readonly flops: Float64Array;
  readonly stepPredictions: Int32Array[] = [];
  readonly haltProbs: Float32Array[] = [];
  /** True once the policy has given a halting probability. */
  sawProb = false;
  private readonly keys: Int32Array;

  constructor(private readonly config: ModelConfig, batch: Batch, private readonly tMax: number) {
    const n = batch.batch * batch.length;
    const len = batch.length;
    this.active = new Uint8Array(n);
    this.exitDepth = new Int32Array(n);
    this.prediction = new Int32Array(n).fill(-1);
    this.flops = new Float64Array(n);
    this.keys = keysPerToken(batch.mask, len, config.attention === 'causal');
    for (let i = 0; i < n; i++) {
      const m = batch.mask[i], keys = this.keys[i];
      if (m === undefined || keys === undefined) throw new Error(`invariant: batch mask has ${batch.mask.length} entries, none for token ${i}`);
      this.active[i] = m > 0 ? 1 : 0;
      if (m > 0) this.flops[i] = config.preludeLayers * layerFlops(config, keys);
    }
  }

  /**
   * Record step `t` for the rows `idx` that ran: `halt` decisions and optional `prob`
   * `[B*T]`, argmax `pred` `[B*T]` (`predRows` 'all') or `[N]` in the order of `idx`
   * ('running').
   */
  step(t: number, idx: Int32Array, halt: ReadValues, pred: ReadValues, prob: ReadValues | undefined, predRows: 'all' | 'running' = 'all'): void {
    const n = this.active.length;
    const sp = new Int32Array(n).fill(-1);
    const hp = new Float32Array(n).fill(NaN);
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j];
      if (i === undefined) throw new Error(`invariant: row index ${j} out of range for length ${idx.length}`);
      const p = pred[predRows === 'running' ? j : i], h = halt[i], f = this.flops[i], keys = this.keys[i];
      if (p === undefined || h === undefined || f === undefined || keys === undefined) throw new Error(`invariant: step ${t} has no prediction, halt or count for token ${i}`);
      sp[i] = p;
      if (prob) {
        const q = prob[i];
        if (q === undefined) throw new Error(`invariant: step ${t} has no halting probability for token ${i}`);
        hp[i] = q;
      }
      this.flops[i] = f + iterationFlops(this.config, keys);
      if (h > 0 || t === this.tMax) {
        this.active[i] = 0;
        this.exitDepth[i] = t;
        this.prediction[i] = p;
      }
    }
    this.stepPredictions.push(sp);
    this.haltProbs.push(hp);
    this.sawProb ||= prob !== undefined;
  }
}

/**
 * The looped Transformer: token embedding (one-hot matmul) + positions, optional
 * unshared prelude layers giving the shallow state h0, a weight-tied block of R
 * pre-LN layers applied up to T_max times, a final LayerNorm and the output head.
 * This file holds the parameters and the shared pieces; `forward.ts` (training)
 * and `infer.ts` (inference) own the loops.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { attentionBias, replicaEmbed, replicaLayerNorm, replicaLinear, ropeTables, sinusoidalPositions } from '@anira/tensor';
import { validateModelConfig, type ModelConfig } from './config.js';
import { createParams, layerParams, param, type LayerParams, type Params } from './params.js';
import { denseLayer, type RopeRows } from './layer.js';
import type { Batch } from './batch.js';
import { densePlan, runBlock } from './row-plan.js';
import { gatherRows, type RowMode } from './rows.js';
import { summarize, type ModelSummary } from './summary.js';

/** Per-batch constants: attention bias and per-row RoPE tables. */
export interface BatchContext {
  readonly batch: number;
  readonly length: number;
  /** [B, 1, T, T] */
  readonly bias: tf.Tensor4D;
  /** Per-row tables `[B*T, dh]` when positions are 'rope'. */
  readonly rope?: RopeRows;
  /** [B*T, 1], 1 for real tokens. */
  readonly maskRows: tf.Tensor2D;
}

/** Token embedding rows `[B*T, C]`: row selection with `rows` where the table is `[V, C]`, else the one-hot product. */
function embedRows(params: Params, batch: Batch, rows: RowMode | undefined): tf.Tensor2D {
  const table = param(params, 'embed');
  if (rows && table.rank === 2) {
    const v = table.shape[0] ?? 0;
    const index = batch.input.map((id) => (id >= 0 && id < v ? id : -1)); // ids are int32; out of range: a zero row, as the one-hot product gives
    return gatherRows(table as tf.Tensor2D, index, rows);
  }
  return replicaEmbed(tf.tensor1d(batch.input, 'int32'), table) as tf.Tensor2D;
}

/**
 * The looped Transformer: token embedding and positions, unshared prelude layers
 * (giving the shallow state h0), one weight-tied block of `sharedLayers` layers applied
 * up to `tMax` times, and the output head. Owns its variables (`params`); call
 * `dispose()` when done. Training runs every iteration for every token (`iterate`);
 * inference with per-token exits and frozen tokens is `infer` / `inferAsync`.
 */
export class LoopedTransformer {
  readonly config: ModelConfig;
  readonly params: Params;
  readonly shared: readonly LayerParams[];
  readonly prelude: readonly LayerParams[];
  /** Number of stacked replicas (every weight `[K, ...]`), or undefined for a lone model. */
  readonly replicas: number | undefined;

  /** A lone model with fresh weights from `config.seed`; `stacked` (internal, see `stackModels`): K replicas' stacked weights. */
  constructor(config: ModelConfig, stacked?: { readonly params: Params; readonly replicas: number }) {
    this.config = validateModelConfig(config as unknown as Record<string, unknown>);
    this.params = stacked ? stacked.params : createParams(this.config);
    this.replicas = stacked?.replicas;
    this.shared = Array.from({ length: this.config.sharedLayers }, (_, r) => layerParams(this.params, `shared.${r}.`));
    this.prelude = Array.from({ length: this.config.preludeLayers }, (_, i) => layerParams(this.params, `prelude.${i}.`));
  }

  /** Tensors for a batch (call inside a tidy). */
  context(batch: Batch): BatchContext {
    const { batch: b, length: t } = batch;
    if (t > this.config.maxLength) {
      throw new AniraInputError(`model: sequence length must be in [1, ${this.config.maxLength}] ("maxLength"), got ${t}`);
    }
    const mask = tf.tensor2d(batch.mask, [b, t]);
    const bias = attentionBias(mask, this.config.attention === 'causal');
    const maskRows = tf.reshape(mask, [b * t, 1]) as tf.Tensor2D;
    if (this.config.positions !== 'rope') return { batch: b, length: t, bias, maskRows };
    const { cos, sin } = ropeTables(t, this.config.dModel / this.config.nHeads); // [T, dh]
    const tile = (x: tf.Tensor2D) => tf.tile(x, [b, 1]) as tf.Tensor2D; // [B*T, dh]
    return { batch: b, length: t, bias, maskRows, rope: { cos: tile(cos), sin: tile(sin) } };
  }

  /**
   * Shallow state h0 rows `[B*T, C]`: embedding + positions + prelude layers. With
   * `rows` (inference, no gradient), a plain `[V, C]` embedding table is read by row
   * selection (rows.ts) instead of the one-hot product: the same values (each product
   * adds one table entry to zeros), without the `[B*T, V]` one-hot and its product.
   */
  shallow(batch: Batch, ctx: BatchContext, rows?: RowMode): tf.Tensor2D {
    const { batch: b, length: t } = batch;
    const c = this.config.dModel;
    let x = embedRows(this.params, batch, rows); // [B*T, C]
    const k = this.replicas;
    if (k !== undefined && this.config.positions === 'learned') {
      const table = tf.reshape(tf.slice(param(this.params, 'pos'), [0, 0, 0], [k, t, c]), [k, 1, t, c]); // replica k's [T, C]
      x = tf.reshape(tf.add(tf.reshape(x, [k, b / k, t, c]), table), [b * t, c]);
    } else if (this.config.positions === 'learned' || this.config.positions === 'sinusoidal') {
      const table =
        this.config.positions === 'learned'
          ? tf.slice(param(this.params, 'pos'), [0, 0], [t, c])
          : sinusoidalPositions(t, c); // [T, C]
      x = tf.reshape(tf.add(tf.reshape(x, [b, t, c]), table), [b * t, c]);
    }
    for (const p of this.prelude) x = this.layer(p, x, ctx);
    return x;
  }

  /** One dense layer over all rows. */
  layer(p: LayerParams, x: tf.Tensor2D, ctx: BatchContext): tf.Tensor2D {
    const { batch, length, bias, rope } = ctx;
    return denseLayer(p, x, { batch, length, nHeads: this.config.nHeads, eps: this.config.layerNormEps, bias, rope });
  }

  /** One iteration of the shared block over all rows: `block(h [+ h0])`. */
  iterate(h: tf.Tensor2D, h0: tf.Tensor2D, ctx: BatchContext): tf.Tensor2D {
    const x = this.config.reinject ? (tf.add(h, h0) as tf.Tensor2D) : h;
    return runBlock(this.shared, x, densePlan(ctx, this.config.nHeads), { nHeads: this.config.nHeads, eps: this.config.layerNormEps });
  }

  /** Output logits for rows `[M, C] -> [M, V]` (final LayerNorm + head). */
  head(h: tf.Tensor2D): tf.Tensor2D {
    const p = this.params;
    const a = replicaLayerNorm(h, param(p, 'lnf.g'), param(p, 'lnf.b'), this.config.layerNormEps);
    return replicaLinear(a, param(p, 'head'), param(p, 'head.b')) as tf.Tensor2D;
  }

  /** Total number of scalar parameters. */
  parameterCount(): number {
    return Object.values(this.params).reduce((n, v) => n + v.size, 0);
  }

  /** Parameters by block (embedding, positions, prelude layers, shared block, output head) with the total; `String(summary)` is a table. */
  summary(): ModelSummary {
    return summarize(this.config, this.params);
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }
}

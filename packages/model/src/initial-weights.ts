/**
 * Start a run from another run's model weights (fine-tuning, or training a halting
 * policy on a model that already solves the task): read the `model/...` weights of a
 * checkpoint, check them against a model, and say which update they come from. The
 * policy's weights, the optimizer and the step are not read: the new run starts them
 * fresh. `TrainingCore.initModel` applies the result and keeps its record in every
 * checkpoint it writes afterwards (header field `init`), so a resumed run still knows
 * where its weights started.
 */
import { AniraInputError } from '@anira/tasks/errors';
import type * as tf from '@tensorflow/tfjs-core';
import { parseBestState } from './best-tracker.js';
import { deserializeCheckpoint } from './checkpoint.js';
import type { ModelConfig } from './config.js';

/** Model config fields that may differ between the checkpoint and the model: neither shapes a weight. */
const FREE_FIELDS: readonly (keyof ModelConfig)[] = ['tMax', 'seed'];

/** Where a model's initial weights came from: the update whose weights were taken, and which of the checkpoint's two. */
export interface InitialWeights {
  /** The checkpoint's update whose weights were copied. */
  readonly step: number;
  /** 'best': its best held-out evaluation's snapshot (or a best-weights file); 'last': its latest update. */
  readonly weights: 'best' | 'last';
}

const err = (message: string) => new AniraInputError(`initModel: ${message}`, { code: 'invalid-file' });

/**
 * The checkpoint's model weights paired with the parameters of `params` they replace
 * (the caller assigns, then disposes them), checked against `config`, and their record. `which` 'best' takes the best-evaluation
 * snapshot where the checkpoint holds one (a best-weights file is that snapshot) and
 * falls back to the latest weights where it holds none (the record says 'last'); 'last'
 * takes the latest weights and is refused for a best-weights file. Every model config
 * field but `tMax` and `seed` must agree, and every weight must be there with its shape.
 */
export function readInitialWeights(
  bytes: Uint8Array, config: ModelConfig, params: Readonly<Record<string, tf.Variable>>, which: 'best' | 'last',
): { pairs: [tf.Variable, tf.Tensor][]; record: InitialWeights } {
  const { header, tensors } = deserializeCheckpoint(bytes);
  try {
    const meta = header.meta as { step?: unknown; model?: Record<string, unknown>; best?: unknown; bestOnly?: unknown };
    for (const k of Object.keys(config) as (keyof ModelConfig)[]) {
      if (!FREE_FIELDS.includes(k) && meta.model?.[k] !== config[k]) {
        throw err(`model config "${k}" is ${JSON.stringify(meta.model?.[k])} in the checkpoint, ${JSON.stringify(config[k])} here (only ${FREE_FIELDS.join(' and ')} may differ)`);
      }
    }
    if (typeof meta.step !== 'number') throw err('the checkpoint header has no "step"');
    const bestOnly = meta.bestOnly === true;
    if (bestOnly && which === 'last') throw err('this is a best-weights file, which holds no latest weights; take "best", or give the run\'s checkpoint.anira');
    const best = bestOnly ? undefined : parseBestState(meta.best, 'initModel: checkpoint');
    const useBest = which === 'best' && best !== undefined;
    const prefix = useBest ? 'best/model/' : 'model/';
    const pairs: [tf.Variable, tf.Tensor][] = [];
    for (const [k, v] of Object.entries(params)) {
      const t = tensors[prefix + k];
      if (!t) throw err(`weight "${prefix + k}" is missing from the checkpoint`);
      if (t.shape.join() !== v.shape.join()) throw err(`weight "${k}" has shape [${t.shape.join(', ')}] in the checkpoint, [${v.shape.join(', ')}] here`);
      pairs.push([v, t]);
    }
    const keep = new Set(pairs.map(([, t]) => t));
    for (const t of Object.values(tensors)) if (!keep.has(t)) t.dispose();
    return { pairs, record: { step: useBest ? best.step : meta.step, weights: useBest || bestOnly ? 'best' : 'last' } };
  } catch (e) {
    for (const t of Object.values(tensors)) if (!t.isDisposed) t.dispose();
    throw e;
  }
}

/** The `init` record of a checkpoint header, or undefined where it has none (a bad one is an input error). */
export function parseInitialWeights(raw: unknown, where: string): InitialWeights | undefined {
  if (raw === undefined || raw === null) return undefined;
  const r = raw as Partial<InitialWeights>;
  if (typeof r.step !== 'number' || !Number.isInteger(r.step) || r.step < 0 || (r.weights !== 'best' && r.weights !== 'last')) {
    throw new AniraInputError(`${where}: header field "init" must be { step: a non-negative integer, weights: "best" or "last" }, got ${JSON.stringify(raw)}`, { code: 'invalid-file' });
  }
  return { step: r.step, weights: r.weights };
}

/**
 * The model's trainable variables, created from the config with seeded
 * initialisers. Keys are stable logical names (used by checkpoints and the
 * optimizer); the underlying tfjs variable names get a unique prefix because tfjs
 * keeps one global registry of variable names.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, glorotUniform, normal, variable } from '@anira/tensor';
import type { ModelConfig } from './config.js';

export type Params = Readonly<Record<string, tf.Variable>>;

/** Variables of one pre-LN Transformer layer. */
export interface LayerParams {
  readonly ln1g: tf.Variable;
  readonly ln1b: tf.Variable;
  readonly wq: tf.Variable;
  readonly wk: tf.Variable;
  readonly wv: tf.Variable;
  readonly wo: tf.Variable;
  readonly ln2g: tf.Variable;
  readonly ln2b: tf.Variable;
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;
}

const LAYER_KEYS = ['ln1g', 'ln1b', 'wq', 'wk', 'wv', 'wo', 'ln2g', 'ln2b', 'w1', 'b1', 'w2', 'b2'] as const;

let instance = 0;

/** Create every variable of a model. */
export function createParams(config: ModelConfig): Params {
  const { dModel: c, dMlp: d, vocabSize: v, seed } = config;
  const prefix = `anira-model-${instance++}/`;
  const out: Record<string, tf.Variable> = {};
  const add = (name: string, init: tf.Tensor) => {
    out[name] = variable(init, prefix + name);
  };
  const layer = (p: string) => {
    const s = (n: string) => deriveSeed(seed, p + n);
    add(`${p}ln1g`, tf.ones([c]));
    add(`${p}ln1b`, tf.zeros([c]));
    add(`${p}wq`, glorotUniform([c, c], s('wq')));
    add(`${p}wk`, glorotUniform([c, c], s('wk')));
    add(`${p}wv`, glorotUniform([c, c], s('wv')));
    add(`${p}wo`, glorotUniform([c, c], s('wo')));
    add(`${p}ln2g`, tf.ones([c]));
    add(`${p}ln2b`, tf.zeros([c]));
    add(`${p}w1`, glorotUniform([c, d], s('w1')));
    add(`${p}b1`, tf.zeros([d]));
    add(`${p}w2`, glorotUniform([d, c], s('w2')));
    add(`${p}b2`, tf.zeros([c]));
  };
  add('embed', normal([v, c], 1, deriveSeed(seed, 'embed')));
  if (config.positions === 'learned') add('pos', normal([config.maxLength, c], 0.5, deriveSeed(seed, 'pos')));
  for (let i = 0; i < config.preludeLayers; i++) layer(`prelude.${i}.`);
  for (let r = 0; r < config.sharedLayers; r++) layer(`shared.${r}.`);
  add('lnf.g', tf.ones([c]));
  add('lnf.b', tf.zeros([c]));
  add('head', glorotUniform([c, v], deriveSeed(seed, 'head')));
  add('head.b', tf.zeros([v]));
  return out;
}

/** Variable `name` of `params`; throws naming it when the record lacks it. */
export function param(params: Params, name: string): tf.Variable {
  const p = params[name];
  if (!p) throw new Error(`model: missing parameter "${name}"`);
  return p;
}

/** The variables of layer `prefix` ("prelude.0." or "shared.1.") as a typed record. */
export function layerParams(params: Params, prefix: string): LayerParams {
  const out: Record<string, tf.Variable> = {};
  for (const k of LAYER_KEYS) out[k] = param(params, prefix + k);
  return out as unknown as LayerParams;
}

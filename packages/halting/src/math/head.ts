/**
 * Small trainable heads (linear and one-hidden-layer MLP) that policies own. The
 * key in `variables` is the stable checkpoint name (e.g. `halting.w`); the tfjs
 * variable name gets a unique suffix because tfjs refuses two variables with the
 * same name in one process (two policies of the same kind would clash).
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, glorotUniform, linear, variable } from '@anira/tensor';

let counter = 0;

export interface Head {
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** x [B, T, C] -> [B, T, out] (pre-activation). */
  apply(x: tf.Tensor): tf.Tensor3D;
  dispose(): void;
}

function makeVar(init: tf.Tensor, key: string): tf.Variable {
  return variable(init, `${key}_${++counter}`);
}

/** `x W + b` with W [C, out] Glorot-uniform and b filled with `biasInit`. */
export function createLinearHead(prefix: string, inDim: number, outDim: number, seed: number, biasInit = 0): Head {
  const w = makeVar(glorotUniform([inDim, outDim], deriveSeed(seed, `${prefix}.w`)), `${prefix}.w`);
  const b = makeVar(tf.fill([outDim], biasInit), `${prefix}.b`);
  return {
    variables: { [`${prefix}.w`]: w, [`${prefix}.b`]: b },
    apply: (x) => linear(x, w as tf.Variable<tf.Rank.R2>, b as tf.Variable<tf.Rank.R1>) as tf.Tensor3D,
    dispose: () => { w.dispose(); b.dispose(); },
  };
}

/** `relu(x W1 + b1) W2 + b2`, b2 filled with `biasInit`. */
export function createMlpHead(prefix: string, inDim: number, hidden: number, outDim: number, seed: number, biasInit = 0): Head {
  const w1 = makeVar(glorotUniform([inDim, hidden], deriveSeed(seed, `${prefix}.w1`)), `${prefix}.w1`);
  const b1 = makeVar(tf.zeros([hidden]), `${prefix}.b1`);
  const w2 = makeVar(glorotUniform([hidden, outDim], deriveSeed(seed, `${prefix}.w2`)), `${prefix}.w2`);
  const b2 = makeVar(tf.fill([outDim], biasInit), `${prefix}.b2`);
  const all = [w1, b1, w2, b2];
  return {
    variables: { [`${prefix}.w1`]: w1, [`${prefix}.b1`]: b1, [`${prefix}.w2`]: w2, [`${prefix}.b2`]: b2 },
    apply: (x) => {
      const h = tf.relu(linear(x, w1 as tf.Variable<tf.Rank.R2>, b1 as tf.Variable<tf.Rank.R1>)); // [B, T, H]
      return linear(h, w2 as tf.Variable<tf.Rank.R2>, b2 as tf.Variable<tf.Rank.R1>) as tf.Tensor3D;
    },
    dispose: () => all.forEach((v) => v.dispose()),
  };
}

/** A scalar-output head's value per token: [B, T, C] -> [B, T]. */
export function scoreOf(head: Head, x: tf.Tensor): tf.Tensor2D {
  return tf.squeeze(head.apply(x), [2]) as tf.Tensor2D;
}

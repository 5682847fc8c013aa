/**
 * Seeded initialisers. Every trainable tensor in the project is created here so
 * that one integer seed fixes the whole initialisation on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Derive a child seed from a parent seed and a name (FNV-1a), stable across platforms. */
export function deriveSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 2147483647;
}

/** Glorot-uniform weight `[fanIn, fanOut]`, deterministic for a seed. */
export function glorotUniform(shape: [number, number], seed: number): tf.Tensor2D {
  const [fanIn, fanOut] = shape;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed) as tf.Tensor2D;
}

/** Normal(0, std) tensor of any shape, deterministic for a seed. */
export function normal(shape: number[], std: number, seed: number): tf.Tensor {
  return tf.truncatedNormal(shape, 0, std, 'float32', seed);
}

/** Process-wide key of the disambiguation counter (shared by every copy of this module). */
const NAME_COUNTER = Symbol.for('@anira/tensor.variableNameCounter');

/**
 * `name`, or `name~<n>` when a variable called `name` is already registered in the
 * (process-wide) tfjs engine. The counter lives on `globalThis` under a
 * `Symbol.for` key, so two copies of this package in one process (ESM `import` and
 * CJS `require`, the dual-package hazard) never hand out the same name.
 */
function freeVariableName(name: string): string {
  const registered = tf.engine().registeredVariables;
  if (!(name in registered)) return name;
  const g = globalThis as { [NAME_COUNTER]?: number };
  let candidate = name;
  while (candidate in registered) {
    g[NAME_COUNTER] = (g[NAME_COUNTER] ?? 0) + 1;
    candidate = `${name}~${g[NAME_COUNTER]}`;
  }
  return candidate;
}

/**
 * Create a named trainable variable from an initial tensor (the tensor is consumed).
 * The rank is kept: a `Tensor2D` init gives a `Variable<Rank.R2>`, usable wherever a
 * `Tensor2D` is expected. If `name` is taken (for example by a second copy of a
 * package loaded through `require` next to `import`), the variable is registered
 * as `name~<n>` instead of failing.
 */
export function variable<R extends tf.Rank>(init: tf.Tensor<R>, name: string, trainable = true): tf.Variable<R> {
  const v = tf.variable(init, trainable, freeVariableName(name));
  init.dispose();
  return v;
}

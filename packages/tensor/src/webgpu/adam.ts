/**
 * Adam on webgpu with the optimizer state packed: one `[2N]` tensor holds every
 * parameter's first moment (`[0, N)`) then second moment (`[N, 2N)`), N = total
 * parameter count, in the order of the parameter record. One update is: pack the
 * gradients (`tf.concat`, about N_params / 7 + 1 programs under WebGPU's default
 * limit of 8 storage buffers), one program for the new moments of all
 * parameters, then one program per parameter for its new values (each parameter
 * is its own variable, so its own output). Same formulas and operation order as
 * `adam.ts`'s composite; the caller (the `Adam` class) owns when to pack/unpack.
 */
import * as tf from '@tensorflow/tfjs-core';
import { program, runProgram } from './backend.js';

/** Hyper-parameters of one update (bias corrections `c1 = 1 - beta1^t`, `c2 = 1 - beta2^t`). */
export interface AdamStep {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly lr: number;
  readonly c1: number;
  readonly c2: number;
}

/** state' `[2N]` from g `[N]` and state `[2N]`: m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g^2. */
const momentsCode = `
    fn main(index : i32) {
      let n = uniforms.gShape;
      if (index < n) {
        setOutputAtIndex(index, state[index] * uniforms.b1 + g[index] * uniforms.oneMinusB1);
      } else if (index < 2 * n) {
        let gi = g[index - n];
        setOutputAtIndex(index, state[index] * uniforms.b2 + (gi * gi) * uniforms.oneMinusB2);
      }
    }`;

/** p' `[n]` = p - lr (m'/c1 / (sqrt(v'/c2) + eps) [+ wd p]), m', v' read at `offset` in the new state. */
const paramCode = `
    fn main(index : i32) {
      let n = uniforms.pShape;
      if (index < n) {
        let m = state[uniforms.offset + index];
        let v = state[uniforms.total + uniforms.offset + index];
        var update = (m / uniforms.c1) / (sqrt(v / uniforms.c2) + uniforms.eps);
        if (uniforms.wd > 0.0) { update = update + p[index] * uniforms.wd; }
        setOutputAtIndex(index, p[index] - update * uniforms.lr);
      }
    }`;

const f32 = (data: number) => ({ type: 'float32' as const, data: [data] });
const i32 = (data: number) => ({ type: 'int32' as const, data: [data] });

/** `r[name]`, which the caller guarantees for every packed name (`what` says which record). */
function named<T>(r: Readonly<Record<string, T>>, name: string, what: string): T {
  const x = r[name];
  if (x === undefined) throw new Error(`invariant: packed adam has no ${what} for parameter "${name}"`);
  return x;
}

/** Where one parameter's moments sit in the packed state. */
interface Slot {
  readonly name: string;
  /** Start of its first moment; its second moment starts at `total + offset`. */
  readonly offset: number;
}

/** The packed moments of a fixed, ordered set of parameters. */
export class PackedAdamState {
  private state: tf.Tensor1D; // [2N]
  private readonly slots: readonly Slot[];
  private readonly total: number;

  /** Pack `m[name]`, `v[name]` for every name of `params`, in its order (copies; the sources stay valid). */
  constructor(params: Readonly<Record<string, tf.Tensor>>, m: Readonly<Record<string, tf.Tensor>>, v: Readonly<Record<string, tf.Tensor>>) {
    let off = 0;
    this.slots = Object.entries(params).map(([name, p]) => ({ name, offset: (off += p.size) - p.size }));
    this.total = off;
    // kept: callers may construct or apply inside their own tf.tidy
    this.state = tf.keep(tf.tidy(() => {
      const flat = (r: Readonly<Record<string, tf.Tensor>>, what: string) => this.slots.map(({ name }) => tf.reshape(named(r, name, what), [-1]));
      return tf.concat([...flat(m, 'first moment'), ...flat(v, 'second moment')]) as tf.Tensor1D;
    }));
  }

  /** One update of every parameter; `grads` must hold all of them. */
  apply(params: Readonly<Record<string, tf.Variable>>, grads: Readonly<Record<string, tf.Tensor>>, h: AdamStep): void {
    const next = tf.tidy(() => {
      const g = tf.concat(this.slots.map(({ name }) => tf.reshape(named(grads, name, 'gradient'), [-1]))) as tf.Tensor1D; // [N]
      const state = runProgram(
        program('adam_moments', ['state', 'g'], [2 * this.total], 2 * this.total, momentsCode, 'b1 : f32, oneMinusB1 : f32, b2 : f32, oneMinusB2 : f32,'),
        [this.state, g],
        [f32(h.beta1), f32(1 - h.beta1), f32(h.beta2), f32(1 - h.beta2)],
      );
      for (const { name, offset } of this.slots) {
        const p = named(params, name, 'variable');
        const p1 = tf.reshape(p, [-1]);
        const out = runProgram(
          program('adam_param', ['p', 'state'], [p.size], p.size, paramCode, 'offset : i32, total : i32, c1 : f32, c2 : f32, eps : f32, wd : f32, lr : f32,'),
          [p1, state],
          [i32(offset), i32(this.total), f32(h.c1), f32(h.c2), f32(h.epsilon), f32(h.weightDecay), f32(h.lr)],
        );
        p.assign(tf.reshape(out, p.shape));
      }
      return state as tf.Tensor1D;
    });
    tf.keep(next);
    this.state.dispose();
    this.state = next;
  }

  /** Write the packed moments back into per-parameter tensors `m[name]`, `v[name]`. */
  unpackInto(m: Readonly<Record<string, tf.Variable>>, v: Readonly<Record<string, tf.Variable>>): void {
    tf.tidy(() => {
      for (const { name, offset } of this.slots) {
        const mt = named(m, name, 'first moment'), vt = named(v, name, 'second moment');
        const { shape, size } = mt;
        mt.assign(tf.reshape(tf.slice(this.state, [offset], [size]), shape));
        vt.assign(tf.reshape(tf.slice(this.state, [this.total + offset], [size]), shape));
      }
    });
  }

  dispose(): void {
    this.state.dispose();
  }
}

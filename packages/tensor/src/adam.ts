/**
 * Adam (with optional decoupled weight decay, AdamW) whose state is plain named
 * tensors, so a checkpoint can store it and a resumed run continues bit for bit.
 * Deterministic: no randomness; the step count is part of the state.
 * On webgpu, an update whose gradients cover every parameter runs the fused
 * programs of webgpu/adam.ts on packed moments; `state()` unpacks them first.
 * Where the backend registers `AniraAdam` (fused-kernels.ts; `@anira/native` on
 * wasm), each parameter's update is that one kernel, with the same bits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasAdamKernel } from './fused-kernels.js';
import { PackedAdamState } from './webgpu/adam.js';
import { useFusedWebGpu } from './webgpu/backend.js';

export interface AdamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Decoupled weight decay (AdamW), applied as `p -= lr * wd * p`. Default 0. */
  readonly weightDecay?: number;
}

/** The moment of parameter `name` in `table` (`m` or `v`); the constructor gives every parameter one. */
function moment(table: Readonly<Record<string, tf.Variable>>, name: string): tf.Variable {
  const t = table[name];
  if (t === undefined) throw new Error(`invariant: adam has no moment for parameter "${name}"`);
  return t;
}

/** Adam over a fixed set of named variables. */
export class Adam {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** Number of updates applied so far. */
  step = 0;
  private readonly m: Record<string, tf.Variable> = {};
  private readonly v: Record<string, tf.Variable> = {};
  /** The moments packed for the webgpu path; when set, it is newer than `m`/`v`. */
  private packed: PackedAdamState | undefined;

  constructor(
    private readonly params: Readonly<Record<string, tf.Variable>>,
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    for (const [name, p] of Object.entries(params)) {
      this.m[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false));
      this.v[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false));
    }
  }

  /** Apply one update with learning rate `lr`; `grads` are keyed like `params` (missing = no update). */
  apply(grads: Readonly<Record<string, tf.Tensor>>, lr: number): void {
    this.step += 1;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const c1 = 1 - Math.pow(b1, this.step);
    const c2 = 1 - Math.pow(b2, this.step);
    const names = Object.keys(this.params);
    if (useFusedWebGpu() && names.every((k) => grads[k] !== undefined)) {
      this.packed ??= new PackedAdamState(this.params, this.m, this.v);
      this.packed.apply(this.params, grads, { beta1: b1, beta2: b2, epsilon: this.epsilon, weightDecay: this.weightDecay, lr, c1, c2 });
      return;
    }
    this.unpack();
    if (hasAdamKernel(tf.getBackend())) {
      this.applyByKernel(grads, lr, c1, c2);
      return;
    }
    tf.tidy(() => {
      for (const [name, p] of Object.entries(this.params)) {
        const g = grads[name];
        if (!g) continue;
        const mt = moment(this.m, name), vt = moment(this.v, name);
        const m = tf.add(tf.mul(mt, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(vt, b2), tf.mul(tf.square(g), 1 - b2));
        mt.assign(m);
        vt.assign(v);
        let update: tf.Tensor = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        if (this.weightDecay > 0) update = tf.add(update, tf.mul(p, this.weightDecay));
        p.assign(tf.sub(p, tf.mul(update, lr)));
      }
    });
  }

  /** The update through the backend's `AniraAdam` kernel, one call per parameter. */
  private applyByKernel(grads: Readonly<Record<string, tf.Tensor>>, lr: number, c1: number, c2: number): void {
    const attrs = { beta1: this.beta1, beta2: this.beta2, c1, c2, epsilon: this.epsilon, weightDecay: this.weightDecay, lr };
    tf.tidy(() => {
      for (const [name, p] of Object.entries(this.params)) {
        const grad = grads[name];
        if (!grad) continue;
        const mt = moment(this.m, name), vt = moment(this.v, name);
        const inputs = { param: p, grad, m: mt, v: vt };
        const [np, nm, nv] = tf.engine().runKernel(FUSED_KERNELS.adam, inputs, attrs) as tf.Tensor[];
        if (np === undefined || nm === undefined || nv === undefined) throw new Error(`invariant: ${FUSED_KERNELS.adam} returned fewer than 3 outputs`);
        mt.assign(nm);
        vt.assign(nv);
        p.assign(np);
      }
    });
  }

  /** Bring `m`/`v` up to date from the packed moments and drop them. */
  private unpack(): void {
    if (!this.packed) return;
    this.packed.unpackInto(this.m, this.v);
    this.packed.dispose();
    this.packed = undefined;
  }

  /** The optimizer state as named tensors (`m/<name>`, `v/<name>`); views, do not dispose. */
  state(): Record<string, tf.Tensor> {
    this.unpack();
    const out: Record<string, tf.Tensor> = {};
    for (const name of Object.keys(this.params)) {
      out[`m/${name}`] = moment(this.m, name);
      out[`v/${name}`] = moment(this.v, name);
    }
    return out;
  }

  /** Restore state saved by `state()` plus the step count; throws naming the first mismatch. */
  setState(tensors: Readonly<Record<string, tf.Tensor>>, step: number): void {
    this.unpack();
    for (const name of Object.keys(this.params)) {
      for (const [key, slot] of [[`m/${name}`, this.m], [`v/${name}`, this.v]] as const) {
        const t = tensors[key];
        if (!t) throw new Error(`adam: optimizer state "${key}" is missing`);
        const target = moment(slot, name);
        if (t.shape.join() !== target.shape.join()) {
          throw new Error(`adam: optimizer state "${key}" has shape [${t.shape}], expected [${target.shape}]`);
        }
        target.assign(t);
      }
    }
    this.step = step;
  }

  dispose(): void {
    this.packed?.dispose();
    this.packed = undefined;
    for (const t of [...Object.values(this.m), ...Object.values(this.v)]) t.dispose();
  }
}

/**
 * The flat layout of a replica's trainable variables: every tensor the Trainer
 * updates (`model/<name>` for each model parameter, then `policy/<name>` for each
 * trainable policy variable, in that order), each at a fixed offset of one
 * float32 vector of length P. Gradients and weights cross threads in this layout,
 * so the main thread and every worker must compute the same one (checked). The
 * variables by name come from `trainableVariables` (training-core.ts).
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';

/** One variable's place in the flat vector. */
export interface LayoutEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

export interface VariableLayout {
  readonly entries: readonly LayoutEntry[];
  /** Total length P of the flat vector. */
  readonly size: number;
}

/** The flat layout of `vars` (insertion order). */
export function layoutOf(vars: Readonly<Record<string, tf.Variable>>): VariableLayout {
  let offset = 0;
  const entries = Object.entries(vars).map(([name, v]) => {
    const e = { name, shape: [...v.shape], offset, size: v.size };
    offset += v.size;
    return e;
  });
  return { entries, size: offset };
}

/** Throw a one-line error naming the first variable where `got` differs from `expected`. */
export function checkLayout(got: VariableLayout, expected: VariableLayout, where: string): void {
  const n = Math.max(got.entries.length, expected.entries.length);
  for (let i = 0; i < n; i++) {
    const g = got.entries[i];
    const e = expected.entries[i];
    if (g?.name !== e?.name || g?.shape.join() !== e?.shape.join()) {
      const show = (x: LayoutEntry | undefined) => (x ? `"${x.name}" [${x.shape.join(',')}]` : 'nothing');
      throw new AniraInputError(`${where}: replica differs from the main thread's: trainable variable ${i} is ${show(g)}, expected ${show(e)} (the setup module must build the same model and policy everywhere)`);
    }
  }
}

/** Copy every variable's values into `out` (length P) at its offset. */
export function readWeights(vars: Readonly<Record<string, tf.Variable>>, layout: VariableLayout, out: Float32Array): void {
  for (const e of layout.entries) out.set(vars[e.name]!.dataSync() as Float32Array, e.offset);
}

/** Assign every variable from `flat` (length P); the values are copied, never aliased. */
export function assignWeights(vars: Readonly<Record<string, tf.Variable>>, layout: VariableLayout, flat: Float32Array): void {
  tf.tidy(() => {
    for (const e of layout.entries) vars[e.name]!.assign(tf.tensor(flat.slice(e.offset, e.offset + e.size), e.shape as number[], 'float32'));
  });
}

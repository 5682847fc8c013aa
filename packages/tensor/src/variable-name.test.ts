/** `variable()`: rank-preserving types, and names that stay unique across two copies of the module. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { glorotUniform, variable } from './init.js';

const made: tf.Variable[] = [];
afterEach(() => made.splice(0).forEach((v) => v.dispose()));

describe('variable', () => {
  it('keeps the rank of its init (a Variable<R2> is a Tensor2D)', () => {
    const w: tf.Tensor2D = variable(glorotUniform([3, 2], 1), 'rank.w');
    made.push(w as tf.Variable);
    expect(w.shape).toEqual([3, 2]);
  });

  it('registers a taken name as name~n instead of throwing, and a free name unchanged', () => {
    const a = variable(tf.zeros([2]), 'clash.w');
    const b = variable(tf.zeros([2]), 'clash.w');
    made.push(a, b);
    expect(a.name).toBe('clash.w');
    expect(b.name).toMatch(/^clash\.w~\d+$/);
    expect(() => tf.variable(tf.zeros([2]), true, 'clash.w')).toThrow(/already registered/); // what plain tfjs does
  });

  it('a second copy of the module (as with import + require) shares the counter', async () => {
    const copy = (await import(/* @vite-ignore */ `./init.js?copy=${Date.now()}`)) as typeof import('./init.js');
    expect(copy.variable).not.toBe(variable); // really another module instance
    const names = new Set<string>();
    for (let i = 0; i < 3; i++) {
      for (const make of [variable, copy.variable]) {
        const v = make(tf.zeros([1]), 'halting.w_1');
        made.push(v);
        names.add(v.name);
      }
    }
    expect(names.size).toBe(6);
  });
});

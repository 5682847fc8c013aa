/**
 * The native products against the wasm backend's own (unfused) BatchMatMul and a
 * hand-computed case, for every transpose flag and bias form, 2-D and batched,
 * one row, odd sizes, the W1 linear-layer shapes and attention's batched shapes.
 * The reference for a fused product is BatchMatMul + add, because the wasm
 * `_FusedMatMul` of tfjs 4.22 is wrong with a bias and a transpose flag.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableNativeKernels, enableNativeKernels, nativeKernelsEnabled } from './enable.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

/** max |x - y| / max |y| over all elements. */
function relErr(x: Float32Array, y: Float32Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    s = Math.max(s, Math.abs(y[i]!));
  }
  return d / Math.max(s, 1e-30);
}

type Case = { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean };

/** Shapes with op(a) [.., M, K] and op(b) [.., K, N]. */
function shapes(lead: [number[], number[]], m: number, k: number, n: number, ta: boolean, tb: boolean): [number[], number[]] {
  return [
    [...lead[0], ...(ta ? [k, m] : [m, k])],
    [...lead[1], ...(tb ? [n, k] : [k, n])],
  ];
}

const cases: Case[] = [];
const dims: Array<{ name: string; lead: [number[], number[]]; m: number; k: number; n: number }> = [
  { name: '2-D odd', lead: [[], []], m: 7, k: 13, n: 5 },
  { name: '1 row', lead: [[], []], m: 1, k: 33, n: 17 },
  { name: '1 column, K=1', lead: [[], []], m: 9, k: 1, n: 1 },
  { name: 'W1 forward', lead: [[], []], m: 2048, k: 128, n: 512 },
  { name: 'W1 grad', lead: [[], []], m: 128, k: 2048, n: 512 },
  { name: 'attention [B, H]', lead: [[32, 4], [32, 4]], m: 64, k: 32, n: 64 },
  { name: 'batched odd', lead: [[3], [3]], m: 5, k: 7, n: 3 },
  { name: 'broadcast b', lead: [[2, 3], [1]], m: 4, k: 6, n: 5 },
  { name: 'broadcast a', lead: [[1], [6]], m: 1, k: 9, n: 2 },
];
for (const d of dims) {
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const [a, b] = shapes(d.lead, d.m, d.k, d.n, ta, tb);
      cases.push({ name: `${d.name} ta=${ta} tb=${tb}`, a, b, ta, tb });
    }
  }
}

/** Reference and native results of `f` on fresh random inputs of one case. */
type Product = (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) => tf.Tensor;

/** `got` with the native kernels and `ref` with the wasm ones, on fresh random inputs of one case. */
function both(c: Case, got: Product, ref: Product, seed: number): [Float32Array, Float32Array] {
  const a = tf.randomNormal(c.a, 0, 1, 'float32', seed);
  const b = tf.randomNormal(c.b, 0, 1, 'float32', seed + 1);
  const n = c.tb ? c.b[c.b.length - 2]! : c.b[c.b.length - 1]!;
  const bias = tf.randomNormal([n], 0, 1, 'float32', seed + 2);
  disableNativeKernels();
  const r = tf.tidy(() => ref(a, b, bias));
  expect(enableNativeKernels().enabled).toBe(true);
  const g = tf.tidy(() => got(a, b, bias));
  const out: [Float32Array, Float32Array] = [g.dataSync() as Float32Array, r.dataSync() as Float32Array];
  tf.dispose([a, b, bias, r, g]);
  return out;
}

describe('native BatchMatMul and _FusedMatMul', () => {
  it('multiply a hand-computed 2x2 case for every flag, with and without bias', () => {
    expect(enableNativeKernels().enabled).toBe(true);
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const b = tf.tensor2d([5, 6, 7, 8], [2, 2]);
    const bias = tf.tensor1d([10, 20]);
    // a@b = [[19,22],[43,50]]; a^T@b = [[26,30],[38,44]]; a@b^T = [[17,23],[39,53]]; a^T@b^T = [[23,31],[34,46]]
    const expected: Record<string, number[]> = {
      ff: [19, 22, 43, 50],
      tf: [26, 30, 38, 44],
      ft: [17, 23, 39, 53],
      tt: [23, 31, 34, 46],
    };
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const key = `${ta ? 't' : 'f'}${tb ? 't' : 'f'}`;
        expect(Array.from(tf.matMul(a, b, ta, tb).dataSync())).toEqual(expected[key]);
        const fused = tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias });
        expect(Array.from(fused.dataSync())).toEqual(expected[key]!.map((v, i) => v + (i % 2 === 0 ? 10 : 20)));
      }
    }
    expect(nativeKernelsEnabled()).toBe(true);
  });

  it.each(cases)('matMul $name within 1e-5 of wasm', (c) => {
    const mm: Product = (a, b) => tf.matMul(a, b, c.ta, c.tb);
    const [got, ref] = both(c, mm, mm, 11);
    expect(got.length).toBe(ref.length);
    expect(relErr(got, ref)).toBeLessThan(1e-5);
  });

  it.each(cases)('fused matMul + bias $name within 1e-5 of matMul + add', (c) => {
    const [got, ref] = both(
      c,
      (a, b, bias) => tf.fused.matMul({ a, b, transposeA: c.ta, transposeB: c.tb, bias }),
      (a, b, bias) => tf.add(tf.matMul(a, b, c.ta, c.tb), bias),
      23,
    );
    expect(relErr(got, ref)).toBeLessThan(1e-5);
  });

  it('hands int32 and relu to the wasm kernel, and leaks no tensor', () => {
    enableNativeKernels();
    const ai = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    expect(() => tf.matMul(ai, ai)).toThrow(/non-float32/); // wasm's own message: it has no int32 product
    ai.dispose();
    const before = tf.memory().numTensors;
    const a = tf.tensor2d([1, -2, 3, -4], [2, 2]);
    const relu = tf.fused.matMul({ a, b: a, activation: 'relu' });
    expect(Array.from(relu.dataSync())).toEqual([0, 6, 0, 10]);
    tf.dispose([a, relu]);
    tf.tidy(() => void tf.matMul(tf.ones([3, 4, 5]), tf.ones([3, 5, 2]), false, false).dataSync());
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Row gather/scatter (host and device), query-slot packing, and skip inference in both row modes vs masked. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HaltingPolicy } from '@anira/halting';
import { MASKED_SCORE } from '@anira/tensor';
import { defaultModelConfig } from './config.js';
import { collate } from './batch.js';
import { LoopedTransformer } from './model.js';
import { infer } from './infer.js';
import { gatherRows, rowsExcept, scatterRows } from './rows.js';
import { activeRows, querySlots } from './slots.js';
import { copyExample, forcedDepth } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const x = () => tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);

describe('row selection', () => {
  it('gatherRows and scatterRows give the same hand-computed rows in host and device modes', () => {
    for (const mode of ['host', 'device'] as const) {
      expect(Array.from(gatherRows(x(), Int32Array.from([2, -1, 0]), mode).dataSync())).toEqual([5, 6, 0, 0, 1, 2]);
      const s = scatterRows(tf.tensor2d([[-1, -2], [-3, -4]]), x(), Int32Array.from([1, 3]), mode);
      expect(Array.from(s.dataSync())).toEqual([1, 2, -1, -2, 5, 6, -3, -4]);
    }
  });

  it('rowsExcept keeps the rows of the first ascending list that the second lacks', () => {
    const f = (a: number[], b: number[]) => Array.from(rowsExcept(Int32Array.from(a), Int32Array.from(b)));
    expect(f([0, 2, 3, 7, 9], [2, 7])).toEqual([0, 3, 9]);
    expect(f([1, 4], [])).toEqual([1, 4]);
    expect(f([1, 4], [0, 1, 4, 5])).toEqual([]);
    expect(f([], [3])).toEqual([]);
    expect(f([5, 6], [1, 2, 3])).toEqual([5, 6]);
  });

  it('querySlots packs each row’s active tokens and masks keys causally', () => {
    const mask = [1, 1, 1, 1, 1, 0];
    const idx = activeRows(Uint8Array.from([0, 1, 1, 1, 0, 0])); // row 0: token 1, 2; row 1: token 0
    expect(Array.from(idx)).toEqual([1, 2, 3]);
    const s = querySlots(idx, 2, 3, mask, true);
    expect(s.width).toBe(2);
    expect(Array.from(s.source)).toEqual([0, 1, 2, -1]);
    expect(Array.from(s.slotOf)).toEqual([0, 1, 2]);
    const M = MASKED_SCORE;
    expect(Array.from(s.bias)).toEqual([0, 0, M, 0, 0, 0, 0, M, M, M, M, M]);
    expect(Array.from(querySlots(idx, 2, 3, mask, false).bias.subarray(6, 9))).toEqual([0, 0, M]); // padding key 2 of row 1
  });

  it('skip inference in host and device row modes equals masked within 1e-5 (bidirectional, padding)', () => {
    const model = new LoopedTransformer(defaultModelConfig({
      vocabSize: 9, maxLength: 10, dModel: 16, nHeads: 2, tMax: 4, seed: 3, attention: 'bidirectional', sharedLayers: 2,
    }));
    const batch = collate([copyExample([3, 4, 5]), copyExample([6, 7]), copyExample([8])]);
    const policy = forcedDepth((b, t) => ((b * 5 + t * 3) % 4) + 1);
    const last = (r: ReturnType<typeof infer>) => Array.from(r.states![r.iterations - 1]!);
    const masked = last(infer(model, policy, batch, { recordStates: true, mode: 'masked' }));
    for (const rowSelection of ['host', 'device'] as const) {
      const skip = last(infer(model, policy, batch, { recordStates: true, rowSelection }));
      skip.forEach((v, i) => expect(Math.abs(v - masked[i]!)).toBeLessThan(1e-5));
    }
    const before = tf.memory().numTensors;
    infer(model, policy, batch, { rowSelection: 'device' });
    infer(model, policy, batch, { rowSelection: 'host' });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('on wasm too: skip (host rows, packed slots, grouped-convolution attention) equals masked (host-built conditions) within 1e-5, causal', async () => {
    await tf.setBackend('wasm');
    const model = new LoopedTransformer(defaultModelConfig({
      vocabSize: 9, maxLength: 10, dModel: 16, nHeads: 2, tMax: 4, seed: 4, attention: 'causal',
    }));
    const batch = collate([copyExample([3, 4, 5, 6]), copyExample([6, 7]), copyExample([8, 2, 1])]);
    const policy = forcedDepth((b, t) => ((b * 3 + t * 5) % 4) + 1);
    const masked = infer(model, policy, batch, { recordStates: true, mode: 'masked' });
    const skip = infer(model, policy, batch, { recordStates: true });
    expect(Array.from(skip.exitDepth)).toEqual(Array.from(masked.exitDepth));
    expect(new Set(masked.exitDepth).size).toBeGreaterThan(2); // several depths, so the masked path selects rows
    // every iteration's state, including those built in the double buffer (iterations 3 and 4)
    expect(skip.states).toHaveLength(4);
    skip.states!.forEach((st, t) => st.forEach((v, i) => expect(Math.abs(v - masked.states![t]![i]!)).toBeLessThan(1e-5)));
    // predictions come from the running rows' logits only ([N] on the packed plan)
    expect(Array.from(skip.prediction)).toEqual(Array.from(masked.prediction));
    expect(skip.stepPredictions.map((p) => Array.from(p))).toEqual(masked.stepPredictions.map((p) => Array.from(p)));
    const before = tf.memory().numTensors;
    infer(model, policy, batch, { mode: 'masked' });
    infer(model, policy, batch);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    await tf.setBackend('cpu');
  });

  it('on wasm, the double-buffered state never changes a state or previous state a policy keeps in its carry', async () => {
    await tf.setBackend('wasm');
    const model = new LoopedTransformer(defaultModelConfig({ vocabSize: 9, maxLength: 10, dModel: 16, nHeads: 2, tMax: 5, seed: 6, attention: 'causal' }));
    const batch = collate([copyExample([3, 4, 5, 6]), copyExample([6, 7, 8, 3])]);
    const base = forcedDepth((b, t) => ((b + 2 * t) % 5) + 1);
    const seen: { state: number[]; previous: number[] }[] = []; // what each step saw, copied when seen
    let changed = 0; // kept tensors that differ from the copies made when they were seen
    const differs = (kept: tf.Tensor | undefined, copy: number[] | undefined) => (kept && copy && Array.from(kept.dataSync()).some((v, i) => v !== copy[i]) ? 1 : 0);
    const keeper: HaltingPolicy = {
      ...base,
      name: 'keeps-state-test',
      step(input) {
        const last = seen[seen.length - 1];
        changed += differs(input.carry['state'], last?.state) + differs(input.carry['previous'], last?.previous);
        seen.push({ state: Array.from(input.state.dataSync()), previous: Array.from(input.previousState.dataSync()) });
        const out = base.step(input);
        // the previous state is the buffer the next iteration would build its state in
        return { ...out, carry: { ...out.carry, state: input.state, previous: input.previousState } };
      },
    };
    const plain = infer(model, base, batch, { recordStates: true });
    const r = infer(model, keeper, batch, { recordStates: true });
    expect(r.iterations).toBe(5);
    expect(changed).toBe(0);
    expect(r.states).toEqual(plain.states); // the guard changes where the state is built, never its values
    model.dispose();
    await tf.setBackend('cpu');
  });

  it('on wasm, the in-place row writes never change logits a policy keeps in its carry', async () => {
    await tf.setBackend('wasm');
    const model = new LoopedTransformer(defaultModelConfig({ vocabSize: 9, maxLength: 10, dModel: 16, nHeads: 2, tMax: 4, seed: 5, attention: 'causal' }));
    const batch = collate([copyExample([3, 4, 5, 6]), copyExample([6, 7, 8, 3])]);
    const base = forcedDepth((b, t) => ((b + t) % 4) + 1);
    const seen: number[][] = []; // the logits each step saw, copied when seen
    let changed = 0; // steps whose kept logits differ from the copy made when they were seen
    const keeper: HaltingPolicy = {
      ...base,
      name: 'keeps-logits-test',
      step(input) {
        const kept = input.carry['logits'];
        if (kept) changed += Array.from(kept.dataSync()).some((v, i) => v !== seen[seen.length - 1]![i]) ? 1 : 0;
        seen.push(Array.from(input.logits.dataSync()));
        const out = base.step(input);
        return { ...out, carry: { ...out.carry, logits: input.logits } };
      },
    };
    const r = infer(model, keeper, batch);
    expect(r.iterations).toBe(4);
    expect(seen).toHaveLength(4);
    expect(changed).toBe(0);
    model.dispose();
    await tf.setBackend('cpu');
  });
});

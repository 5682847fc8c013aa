/**
 * fast-check arbitraries for policy authors (entry `@anira/halting/arbitraries`, the
 * only one that needs fast-check): model dimensions, batch shapes and random
 * per-step inputs (shallow state, states, logits, mask) as plain arrays; `toTensors`
 * (in ./case.ts) turns a case into the tensors `train()` and `simulateInference` take.
 */
import * as fc from 'fast-check';
import type { PolicyCase } from './case.js';

export { toTensors, type CaseTensors, type PolicyCase } from './case.js';

export interface DimsConstraints { maxDModel?: number; maxVocab?: number; maxSteps?: number }

/** Random `PolicyDims` (small). */
export const policyDims = (c: DimsConstraints = {}) =>
  fc.record({
    dModel: fc.integer({ min: 1, max: c.maxDModel ?? 6 }),
    vocabSize: fc.integer({ min: 2, max: c.maxVocab ?? 6 }),
    tMax: fc.integer({ min: 1, max: c.maxSteps ?? 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 2 }),
  });

/** Random batch shape `{ batch, length }`. */
export const batchShape = (maxBatch = 3, maxLength = 6) =>
  fc.record({ batch: fc.integer({ min: 1, max: maxBatch }), length: fc.integer({ min: 1, max: maxLength }) });

/** `n` finite logits in [-scale, scale] (default 6). */
export const haltingLogits = (n: number, scale = 6) =>
  fc.array(fc.float({ min: Math.fround(-scale), max: Math.fround(scale), noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });

/** A whole random case: dims, shape and every per-step input. */
export const policyCase = (c: DimsConstraints & { maxBatch?: number; maxLength?: number } = {}): fc.Arbitrary<PolicyCase> =>
  fc.tuple(policyDims(c), batchShape(c.maxBatch, c.maxLength)).chain(([dims, { batch, length }]) => {
    const n = batch * length;
    return fc.record({
      dims: fc.constant(dims),
      batch: fc.constant(batch),
      length: fc.constant(length),
      shallow: haltingLogits(n * dims.dModel, 3),
      states: fc.array(haltingLogits(n * dims.dModel, 3), { minLength: dims.tMax, maxLength: dims.tMax }),
      logits: fc.array(haltingLogits(n * dims.vocabSize), { minLength: dims.tMax, maxLength: dims.tMax }),
      mask: fc.array(fc.constantFrom(0, 1, 1), { minLength: n, maxLength: n }).map((m) => {
        for (let b = 0; b < batch; b++) m[b * length] = 1;
        return m;
      }),
    });
  });

/** The math helpers name a scalar where a tensor with a step axis is needed, as an input error. */
import * as tf from '@tensorflow/tfjs-core';
import { AniraInputError } from '@anira/tasks/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-setup.js';
import { expectedDepthOf } from './halting-distribution.js';
import { klToGeometric } from './penalty.js';
import { gumbelSoftmaxST } from './gumbel.js';

beforeAll(useCpu);

describe('rank checks', () => {
  it.each([
    ['expectedDepthOf', () => expectedDepthOf(tf.scalar(0.5)), '"p" must have rank >= 1'],
    ['klToGeometric', () => klToGeometric(tf.scalar(0.5), 0.3), '"p" must have rank >= 1'],
    ['gumbelSoftmaxST', () => gumbelSoftmaxST(tf.scalar(0.5), 1, 0), '"logits" must have rank >= 1'],
  ])('%s refuses a scalar with an AniraInputError naming the argument', (_name, call, message) => {
    let err: unknown;
    try {
      call();
    } catch (e) {
      err = e;
    }
    expect(AniraInputError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(message);
  });
});

/** The published arbitraries produce valid, resolved params for every task. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { taskAndParams } from './testing.js';

test('taskAndParams yields params that resolve to themselves', () => {
  fc.assert(
    fc.property(taskAndParams(), ({ task, params }) => {
      expect(task.resolveParams(params)).toEqual(params);
    }),
    { numRuns: 100 },
  );
});

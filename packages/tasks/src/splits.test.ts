/** withSize / sizeSplits. */
import { expect, test } from 'vitest';
import { getTask } from './registry.js';
import { sizeSplits, withSize } from './splits.js';

test('withSize sets the size knob and validates it', () => {
  const t = getTask('addition');
  expect(withSize(t, {}, 5)).toEqual({ digits: 5, order: 0, balance: 0 });
  expect(withSize(t, { order: 'msd' }, 7)).toEqual({ digits: 7, order: 1, balance: 0 });
  expect(() => withSize(t, {}, 0)).toThrow(/param "digits" must be an integer in \[1, 20\], got 0/);
});

test('sizeSplits keeps other params and requires OOD sizes above train sizes', () => {
  const t = getTask('graph-dfs');
  const s = sizeSplits(t, { train: [4, 6], ood: [8, 12] }, { density: 0.2 });
  expect(s.train.map((p) => p.nodes)).toEqual([4, 6]);
  expect(s.ood.map((p) => [p.nodes, p.density])).toEqual([[8, 0.2], [12, 0.2]]);
  expect(() => sizeSplits(t, { train: [6], ood: [6] })).toThrow(/every "ood" nodes must be > 6/);
});

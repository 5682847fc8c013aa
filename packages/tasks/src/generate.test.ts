/** generateExample / sampleDataset: seed derivation, regeneration, balancing. */
import { describe, expect, test } from 'vitest';
import { IGNORE } from './example.js';
import type { Example } from './example.js';
import { generateExample, sampleDataset } from './generate.js';
import { getTask } from './registry.js';
import { deriveExampleSeed } from './rng.js';

const histogram = (ds: readonly Example[]): Map<number, number> => {
  const h = new Map<number, number>();
  for (const e of ds) e.target.forEach((t, i) => t !== IGNORE && h.set(e.difficulty[i]!, (h.get(e.difficulty[i]!) ?? 0) + 1));
  return h;
};
/** Share of target tokens at the most common level (1 / levels for a flat histogram). */
const modalShare = (h: Map<number, number>): number => {
  const c = [...h.values()];
  return Math.max(...c) / c.reduce((a, b) => a + b, 0);
};

describe('sampleDataset', () => {
  test('example i is generateExample with deriveExampleSeed(seed, i)', () => {
    const t = getTask('k-hop');
    const ds = sampleDataset(t, { maxHops: 4 }, { n: 5, seed: 9 });
    ds.forEach((e, i) => expect(e).toEqual(generateExample(t, { maxHops: 4 }, deriveExampleSeed(9, i))));
    expect(() => sampleDataset(t, {}, { n: -1, seed: 0 })).toThrow(/option "n"/);
  });

  test.each([
    ['variable-binding', {}, 16],
    ['dyck', { depth: 6 }, 16],
    ['graph-dfs', { nodes: 8 }, 64],
    ['topological-sort', {}, 16],
  ])('balanced %s has a much flatter level histogram and regenerable seeds', (name, params, candidates) => {
    const t = getTask(name);
    const resolved = t.resolveParams(params);
    const plain = sampleDataset(t, params, { n: 200, seed: 3 });
    const bal = sampleDataset(t, params, { n: 200, seed: 3, balanced: true, candidates });
    expect(bal).toHaveLength(200);
    const hp = histogram(plain);
    const hb = histogram(bal);
    expect(modalShare(hb)).toBeLessThan(0.75 * modalShare(hp));
    // Every level past the most common one gains tokens (per kept token).
    const total = (h: Map<number, number>) => [...h.values()].reduce((a, b) => a + b, 0);
    const mode = [...hp.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const rare = (h: Map<number, number>) => [...h.entries()].filter(([l]) => l > mode).reduce((a, [, c]) => a + c, 0) / total(h);
    expect(rare(hb)).toBeGreaterThan(rare(hp));
    for (const e of bal.slice(0, 10)) expect(generateExample(t, resolved, e.meta.seed)).toEqual(e);
  });
});

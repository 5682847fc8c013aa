/** JSONL export: one line, schema fields, NaN as null, round-trips the arrays. */
import { expect, test } from 'vitest';
import { FEATURE_GROUPS } from './example.js';
import { generateExample } from './generate.js';
import { exampleToJsonl } from './jsonl.js';
import { listTasks } from './registry.js';

test.each(listTasks().map((t) => [t.name, t] as const))('%s exports one parseable line', (_n, task) => {
  const ex = generateExample(task, {}, 77);
  const line = exampleToJsonl(ex);
  expect(line).not.toContain('\n');
  const r = JSON.parse(line);
  expect(Object.keys(r)).toEqual(['task', 'seed', 'params', 'size', 'input', 'target', 'loss_mask', 'difficulty', 'features', 'tokens']);
  expect(r.input).toEqual(ex.input);
  expect(r.target).toEqual(ex.target);
  expect(r.loss_mask).toEqual(ex.target.map((t) => (t >= 0 ? 1 : 0)));
  expect(r.tokens).toEqual(ex.input.map((id) => task.vocab.token(id)));
  expect(r.seed).toBe(77);
  expect(Object.keys(r.features)).toEqual(['static', 'position', 'dynamic']);
  for (const g of FEATURE_GROUPS) {
    for (const [k, col] of Object.entries(ex.features[g])) {
      expect(r.features[g][k]).toEqual(col.map((v) => (Number.isNaN(v) ? null : v)));
    }
  }
  expect(r.features.position.position[ex.target.findIndex((t) => t >= 0)]).toBe(ex.target.findIndex((t) => t >= 0));
});

/**
 * The paper specs (examples/paper/*.yaml) expand and validate: every run's task params,
 * model, trainer and policy options, with the run counts examples/paper/README.md states,
 * and at least 5 seeds per cell of alignment and decision timing, 3 for the others.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expandSweep } from '../src/sweep/spec.js';
import { validateExperiment } from '../src/experiment/setup.js';

const spec = (name: string) => expandSweep(parse(readFileSync(fileURLToPath(new URL(`../../../examples/paper/${name}.yaml`, import.meta.url)), 'utf8')));

describe('paper specs', () => {
  it.each([
    ['learnability', 32, 1],
    ['alignment', 160, 5],
    ['decision-timing', 30, 5],
    ['generalization', 18, 3],
    ['prelude-ablation', 18, 3],
  ] as const)('%s: %i runs, %i seeds per cell, every run valid', async (name, runs, seeds) => {
    const s = spec(name);
    expect(s.runs).toHaveLength(runs);
    expect(new Set(s.runs.map((r) => r.config.seed)).size).toBe(seeds);
    for (const r of s.runs) await validateExperiment(r.config, `${name}/${r.id}`);
  });

  it('learnability: the recipes set what they name', () => {
    const s = spec('learnability');
    const run = (id: string) => s.runs.find((r) => r.id === id)!.config;
    expect(run('task=k-hop,recipe=p2-curric,seed=0').task.curriculum).toEqual({ steps: 1000 });
    expect(run('task=k-hop,recipe=d128-warm,seed=0').model['dModel']).toBe(128);
    expect(run('task=k-hop,recipe=p2-warm,seed=0').trainer).toMatchObject({ warmStartSteps: 500, penaltyRampSteps: 500 });
    expect(run('task=addition,recipe=p2,seed=0').task.params).toEqual({ digits: 3, order: 'msd', balance: 'carries' });
  });
});

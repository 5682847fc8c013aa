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

  it('session/learnability-varbind-gated: the curric recipe with a gate of 0.95, 24,000 updates at most, seeds 0 and 1', async () => {
    const gated = spec('session/learnability-varbind-gated');
    const curric = spec('session/learnability-varbind-curric');
    expect(gated.runs.map((r) => r.config.seed)).toEqual([0, 1]);
    for (const [k, r] of gated.runs.entries()) {
      await validateExperiment(r.config, `learnability-varbind-gated/${r.id}`);
      const base = curric.runs[k]?.config;
      expect(r.config.task.curriculum).toEqual({ gate: { accuracy: 0.95 } });
      expect(r.config.trainer).toEqual({ ...base?.trainer, steps: 24000 });
      expect([r.config.model, r.config.policy, r.config.eval, r.config.checkpointEvery]).toEqual([base?.model, base?.policy, base?.eval, base?.checkpointEvery]);
      expect({ ...r.config.task, curriculum: undefined }).toEqual({ ...base?.task, curriculum: undefined });
    }
  });
});

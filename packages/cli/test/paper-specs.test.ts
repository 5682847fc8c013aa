/**
 * The paper specs (examples/paper/*.yaml) expand and validate: every run's task params,
 * model, trainer and policy options, with the run counts examples/paper/README.md states,
 * and at least 5 seeds per cell of alignment and decision timing, 3 for the others. Every
 * session spec (examples/paper/session/*.yaml) is named in examples/paper/README.md and validated run by run once, in its own
 * test; the tests after it pin what each session spec shares with the spec it extends.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getTask } from '@anira/tasks';
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

  const sessionSpecs = readdirSync(fileURLToPath(new URL('../../../examples/paper/session/', import.meta.url)))
    .filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));

  const readme = readFileSync(fileURLToPath(new URL('../../../examples/paper/README.md', import.meta.url)), 'utf8');

  it.each(sessionSpecs)('session/%s: named as its file and in examples/paper/README.md, every run valid', async (name) => {
    const s = spec(`session/${name}`);
    expect(s.name).toBe(name);
    expect(readme).toContain(`\`${name}.yaml\``);
    expect(s.runs.length).toBeGreaterThan(0);
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

  it('session/learnability-varbind-gated: the curric recipe with a gate of 0.95, 24,000 updates at most, seeds 0-4', () => {
    const gated = spec('session/learnability-varbind-gated');
    const base = spec('session/learnability-varbind-curric').runs[0]?.config;
    expect(gated.runs.map((r) => r.config.seed)).toEqual([0, 1, 2, 3, 4]);
    for (const r of gated.runs) {
      expect(r.config.task.curriculum).toEqual({ gate: { accuracy: 0.95 } });
      expect(r.config.trainer).toEqual({ ...base?.trainer, steps: 24000 });
      expect([r.config.model, r.config.policy, r.config.eval, r.config.checkpointEvery]).toEqual([base?.model, base?.policy, base?.eval, base?.checkpointEvery]);
      expect({ ...r.config.task, curriculum: undefined }).toEqual({ ...base?.task, curriculum: undefined });
    }
  });

  it('session/learnability-listops-gated: the listops-16k recipe with a depth gate of 0.95, 20,000 updates at most, stop at 0.97', () => {
    const [gated] = spec('session/learnability-listops-gated').runs;
    const base = spec('session/learnability-round3').runs.find((r) => r.id === 'recipe=listops-16k,seed=0')?.config;
    expect(gated).toBeDefined();
    expect(gated!.config.task).toEqual({ ...base?.task, curriculum: { gate: { accuracy: 0.95 } } });
    expect(gated!.config.trainer).toEqual({ ...base?.trainer, steps: 20000, targetAccuracy: 0.97 });
    expect([gated!.config.model, gated!.config.policy, gated!.config.eval, gated!.config.seed]).toEqual([base?.model, base?.policy, base?.eval, base?.seed]);
  });

  it('session/prelude-ablation-dfs-6k: 0 and 1 prelude layers × seeds 0-4, each the decision-timing-dfs-6k ANIRA-E config but for the prelude', () => {
    const runs = spec('session/prelude-ablation-dfs-6k').runs;
    const dfs = spec('session/decision-timing-dfs-6k').runs.filter((d) => d.config.policy.name === 'anira-e');
    const full = spec('prelude-ablation').runs.filter((r) => r.id.includes('recipe=graph-dfs-6k'));
    expect(runs.map((r) => [r.config.seed, r.config.model['preludeLayers']])).toEqual([0, 1, 2, 3, 4].flatMap((s) => [[s, 0], [s, 1]]));
    let matched = 0;
    for (const r of runs) {
      const twin = dfs.find((d) => d.config.seed === r.config.seed)!;
      expect({ ...r.config, name: '', model: { ...r.config.model, preludeLayers: 2 } }).toEqual({ ...twin.config, name: '' });
      const cell = full.find((c) => c.config.seed === r.config.seed && c.config.model['preludeLayers'] === r.config.model['preludeLayers']);
      if (cell) matched += 1;
      if (cell) expect({ ...r.config, name: '' }).toEqual({ ...cell.config, name: '' });
    }
    expect(matched).toBe(6); // seeds 0-2 of prelude-ablation.yaml at 0 and 1 layers
  });

  it('session/decision-timing-topo-p1: decision-timing-topo\'s cells with one prelude layer, 2,500 updates, stop at 0.97, patience 6', () => {
    const runs = spec('session/decision-timing-topo-p1').runs;
    const base = spec('session/decision-timing-topo').runs;
    expect(runs.map((r) => `${r.config.seed}/${r.config.policy.name}`)).toEqual(base.map((r) => `${r.config.seed}/${r.config.policy.name}`));
    for (const [i, r] of runs.entries()) {
      const b = base[i]!.config;
      expect({ ...r.config, name: '', model: undefined, trainer: undefined }).toEqual({ ...b, name: '', model: undefined, trainer: undefined });
      expect(r.config.model).toEqual({ ...b.model, preludeLayers: 1 });
      expect(r.config.trainer).toEqual({ ...b.trainer, steps: 2500, patience: 6, targetAccuracy: 0.97 });
    }
  });

  it('session/alignment-varbind-init: E, O, E-hazard and ACT from the gated run of their own seed (0-4), its model and task, all chain lengths mixed', () => {
    const runs = spec('session/alignment-varbind-init').runs;
    const gated = spec('session/learnability-varbind-gated').runs;
    expect(runs.map((r) => `${r.config.seed}/${r.config.policy.name}`)).toEqual([0, 1, 2, 3, 4].flatMap((s) => [`${s}/anira-e`, `${s}/anira-o`, `${s}/anira-e-hazard`, `${s}/act`]));
    for (const r of runs) {
      const source = gated.find((g) => g.config.seed === r.config.seed)!.config;
      expect(r.config.init).toEqual({ from: `runs/learnability-varbind-gated/seed=${r.config.seed}`, weights: 'best' });
      expect(r.config.model).toEqual(source.model);
      expect(r.config.task).toEqual({ ...source.task, curriculum: undefined });
      expect(r.config.trainer).toMatchObject({ steps: 3000, lr: source.trainer['lr'], penaltyRampSteps: 500 });
      expect(r.config.trainer['warmStartSteps']).toBeUndefined();
    }
  });

  it('session/alignment-addition-wide: E, O and ACT × seeds 0-4, learnability-addition-wide\'s anira-o recipe with one prelude layer', () => {
    const runs = spec('session/alignment-addition-wide').runs;
    const base = spec('session/learnability-addition-wide').runs.find((r) => r.id === 'recipe=anira-o,seed=0')!.config;
    expect(runs.map((r) => `${r.config.seed}/${r.config.policy.name}`)).toEqual([0, 1, 2, 3, 4].flatMap((s) => [`${s}/anira-e`, `${s}/anira-o`, `${s}/act`]));
    for (const r of runs) {
      expect(r.config.model).toEqual({ ...base.model, preludeLayers: 1 });
      expect([r.config.task, r.config.trainer, r.config.eval]).toEqual([base.task, base.trainer, base.eval]);
    }
  });

  it('session/generalization-addition-wide: alignment-addition-wide\'s E and O cells evaluated on 3-8 digits at T_max 6 and 12, learned or rotary positions, seeds 0-4', () => {
    const runs = spec('session/generalization-addition-wide').runs;
    const base = spec('session/alignment-addition-wide').runs;
    expect(runs).toHaveLength(20);
    for (const r of runs) {
      const twin = base.find((b) => b.config.seed === r.config.seed && b.config.policy.name === r.config.policy.name)!.config;
      expect(['anira-e', 'anira-o']).toContain(r.config.policy.name);
      expect(['learned', 'rope']).toContain(r.config.model['positions']);
      expect(r.config.model).toEqual({ ...twin.model, positions: r.config.model['positions'] });
      expect(r.config.task).toEqual({ ...twin.task, evalSizes: [3, 4, 5, 6, 7, 8] });
      expect([r.config.trainer, r.config.eval]).toEqual([twin.trainer, { ...twin.eval, tMax: [12] }]);
    }
  });

  it('session/alignment-addition-seeds: alignment-addition-wide\'s ANIRA-E and ANIRA-O cells, config for config, at seeds 5-11', () => {
    const runs = spec('session/alignment-addition-seeds').runs;
    const base = spec('session/alignment-addition-wide').runs;
    expect(runs).toHaveLength(14);
    expect(new Set(runs.map((r) => r.config.seed))).toEqual(new Set([5, 6, 7, 8, 9, 10, 11]));
    for (const r of runs) {
      const twin = base.find((b) => b.config.seed === 0 && b.config.policy.name === r.config.policy.name);
      expect(twin, r.id).toBeDefined();
      expect({ ...r.config, name: '', seed: 0 }).toEqual({ ...twin!.config, name: '' });
    }
  });

  it('reproduce.sh\'s hub-structure feature set names features both graph tasks declare, none of them a label proxy', () => {
    const script = readFileSync(fileURLToPath(new URL('../../../examples/paper/reproduce.sh', import.meta.url)), 'utf8');
    const set = /--feature-set "hub structure=([^"]+)"/.exec(script);
    expect(set).not.toBeNull();
    const names = set![1]!.split(',');
    expect(names).toEqual(['hub', 'hubs', 'max_degree']);
    for (const task of ['graph-dfs', 'topological-sort']) {
      const declared = getTask(task).features;
      for (const n of names) expect(declared.find((f) => f.name === n), `${task}: ${n}`).toMatchObject({ group: 'static' });
      for (const n of names) expect(declared.find((f) => f.name === n)!.proxy, `${task}: ${n}`).toBeUndefined();
    }
  });

  it('session/alignment-addition-hazard: alignment-addition-wide\'s cell, config for config, with anira-e-hazard, seeds 0-4', () => {
    const runs = spec('session/alignment-addition-hazard').runs;
    const base = spec('session/alignment-addition-wide').runs;
    expect(runs.map((r) => `${r.config.seed}/${r.config.policy.name}`)).toEqual([0, 1, 2, 3, 4].map((s) => `${s}/anira-e-hazard`));
    for (const r of runs) {
      const twin = base.find((b) => b.config.seed === r.config.seed && b.config.policy.name === 'anira-o')!.config;
      expect({ ...r.config, name: '', policy: twin.policy }).toEqual({ ...twin, name: '' });
    }
  });

  it('session/learnability-listops-full: listops-16k\'s task and budget at full depth, lr 0.003 at d_model 64, then lr 0.002 at 128', () => {
    const runs = spec('session/learnability-listops-full').runs;
    const base = spec('session/learnability-round3').runs.find((r) => r.id === 'recipe=listops-16k,seed=0')!.config;
    expect(runs.map((r) => [r.id, r.config.model['dModel'], r.config.trainer['lr']])).toEqual([['recipe=lr3,seed=0', 64, 0.003], ['recipe=d128,seed=0', 128, 0.002]]);
    for (const r of runs) {
      expect(r.config.policy.name).toBe('fixed');
      expect(r.config.task).toEqual(base.task);
      expect(r.config.trainer).toMatchObject({ steps: base.trainer['steps'], targetAccuracy: 0.97 });
      expect(r.config.trainer['warmStartSteps']).toBeUndefined();
      expect({ ...r.config.model, dModel: 64 }).toEqual(base.model);
    }
  });

  it('session/learnability-listops-d128-seeds: learnability-listops-full\'s d128 cell, config for config, at seeds 1 and 2', () => {
    const runs = spec('session/learnability-listops-d128-seeds').runs;
    const twin = spec('session/learnability-listops-full').runs.find((r) => r.id === 'recipe=d128,seed=0')!.config;
    expect(runs.map((r) => r.id)).toEqual(['recipe=d128,seed=1', 'recipe=d128,seed=2']);
    for (const r of runs) expect({ ...r.config, name: '', seed: 0 }).toEqual({ ...twin, name: '' });
  });

  it('session/alignment-listops-init: the d128 full-depth model of each seed, alignment-varbind-init\'s fine-tuning budget and policies', () => {
    const runs = spec('session/alignment-listops-init').runs;
    const source = spec('session/learnability-listops-full').runs.find((r) => r.id === 'recipe=d128,seed=0')!.config;
    const varbind = spec('session/alignment-varbind-init').runs;
    expect(runs).toHaveLength(12);
    for (const r of runs) {
      expect(r.config.model).toEqual(source.model);
      expect(r.config.task).toEqual(source.task);
      expect(r.config.trainer).toEqual(varbind.find((v) => v.config.policy.name === r.config.policy.name)!.config.trainer);
      expect(r.config.init).toMatchObject({ from: `runs/listops-d128/seed=${r.config.seed}` });
    }
    expect(new Set(runs.map((r) => r.config.policy.name))).toEqual(new Set(varbind.map((r) => r.config.policy.name)));
  });

  it.each([
    ['generalization-seeds', 12],
    ['generalization-dfs', 8],
  ] as const)('session/%s-34: the cells of the same spec without the suffix, seeds 3 and 4 (%i runs)', (name, count) => {
    const runs = spec(`session/${name}-34`).runs;
    const base = spec(`session/${name}`).runs;
    expect(runs).toHaveLength(count);
    for (const r of runs) {
      expect([3, 4]).toContain(r.config.seed);
      const twin = base.find((b) => b.id === r.id.replace(`seed=${r.config.seed}`, 'seed=0'))!;
      expect({ ...r.config, name: '', seed: 0 }).toEqual({ ...twin.config, name: '' });
    }
  });

  it.each(['decision-timing', 'prelude-ablation'])('%s: the graph-DFS cells are session/decision-timing-dfs-6k\'s config, name aside', (name) => {
    const dfs = spec('session/decision-timing-dfs-6k').runs;
    const cells = spec(name).runs.filter((r) => r.id.includes('recipe=graph-dfs-6k') && (r.config.model['preludeLayers'] ?? 2) === 2);
    expect(cells.length).toBeGreaterThan(0);
    for (const r of cells) {
      const twin = dfs.find((d) => d.config.seed === r.config.seed && d.config.policy.name === r.config.policy.name);
      expect(twin, r.id).toBeDefined();
      expect({ ...r.config, name: '' }).toEqual({ ...twin!.config, name: '' });
    }
  });
});

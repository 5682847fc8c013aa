import { describe, expect, it } from 'vitest';
import { expandSweep } from './spec.js';
import { resolveShard, selectShard } from './shard.js';

const spec = {
  name: 'demo',
  base: { task: { name: 'addition', params: { digits: 2 } }, policy: { name: 'fixed' }, trainer: { steps: 5 } },
  grid: { policy: [{ name: 'anira-e' }, { name: 'anira-o' }], seed: [0, 1, 2], 'model.tMax': [4, 8] },
};

describe('expandSweep', () => {
  it('expands the cartesian product in spec order with stable ids', () => {
    const s = expandSweep(spec);
    expect(s.runs).toHaveLength(12);
    expect(s.runs[0]!.id).toBe('policy=anira-e,seed=0,tMax=4');
    expect(s.runs[1]!.id).toBe('policy=anira-e,seed=0,tMax=8');
    expect(s.runs[11]!.id).toBe('policy=anira-o,seed=2,tMax=8');
    expect(s.runs[5]!.config.seed).toBe(2);
    expect(s.runs[5]!.config.model['tMax']).toBe(8);
    expect(s.runs[5]!.config.task.params).toEqual({ digits: 2 });
    expect(new Set(s.runs.map((r) => r.id)).size).toBe(12);
  });

  it('a recipe axis sets several dotted paths at once, named in the run id', () => {
    const s = expandSweep({
      ...spec,
      grid: {
        recipe: [{ name: 'base' }, { name: 'd32-warm', 'model.dModel': 32, 'trainer.warmStartSteps': 2, 'task.curriculum': { steps: 3 } }],
        seed: [0],
      },
    });
    expect(s.runs.map((r) => r.id)).toEqual(['recipe=base,seed=0', 'recipe=d32-warm,seed=0']);
    expect(s.runs[0]!.config.model['dModel']).toBeUndefined();
    expect(s.runs[1]!.config.model['dModel']).toBe(32);
    expect(s.runs[1]!.config.trainer).toEqual({ steps: 5, warmStartSteps: 2 });
    expect(s.runs[1]!.config.task).toMatchObject({ name: 'addition', params: { digits: 2 }, curriculum: { steps: 3 } });
    expect(() => expandSweep({ ...spec, grid: { recipe: [{ 'model.dModel': 32 }] } })).toThrow(/"grid.recipe": each recipe must be an object with a "name"/);
  });

  it('puts each run\'s seed where a string says {seed}', () => {
    const s = expandSweep({ ...spec, base: { ...spec.base, init: { from: 'runs/full/seed={seed}/{seed}' } }, grid: { seed: [3, 7], policy: [{ name: 'anira-e' }] } });
    expect(s.runs.map((r) => [r.id, r.config.init?.from])).toEqual([['seed=3,policy=anira-e', 'runs/full/seed=3/3'], ['seed=7,policy=anira-e', 'runs/full/seed=7/7']]);
    expect(expandSweep(spec).runs[0]!.config.init).toBeUndefined();
  });

  it('names the bad key of an invalid spec or run', () => {
    expect(() => expandSweep({ ...spec, grid: {} })).toThrow(/"grid" must have at least one key/);
    expect(() => expandSweep({ ...spec, extra: 1 })).toThrow(/unrecognized.*extra/i);
    expect(() => expandSweep({ ...spec, grid: { seed: [-1] } })).toThrow(/"seed"/);
    expect(() => expandSweep({ ...spec, grid: { 'eval.examples': [0] } })).toThrow(/"eval\.examples"/);
    expect(() => expandSweep({ ...spec, grid: { seed: [] } })).toThrow(/"grid\.seed"/);
  });
});

describe('shards', () => {
  const runs = Array.from({ length: 10 }, (_, index) => ({ index }));
  it('partitions runs deterministically and completely', () => {
    const parts = [0, 1, 2].map((i) => selectShard(runs, resolveShard(`${i}/3`, undefined, {})).map((r) => r.index));
    expect(parts).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
  });
  it('reads Kubernetes and Slurm indices from the environment', () => {
    expect(resolveShard(undefined, 4, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4, source: 'JOB_COMPLETION_INDEX' });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' })).toEqual({ index: 1, count: 2, source: 'SLURM_ARRAY_TASK_ID' });
    expect(resolveShard(undefined, undefined, {})).toEqual({ index: 0, count: 1, source: 'none' });
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/--shards/);
    expect(() => resolveShard(undefined, 2, { JOB_COMPLETION_INDEX: '2' })).toThrow(/\[0, 1\]/);
    expect(() => resolveShard('3/3', undefined, {})).toThrow(/i\/n/);
    expect(() => resolveShard('a/b', undefined, {})).toThrow(/i\/n/);
  });
});

describe('report labels', async () => {
  const { shortLabel } = await import('../experiment/report.js');
  it('shortens sweep run names to their grid values', () => {
    expect(shortLabel('alignment/task=addition,policy=anira-o')).toBe('addition, anira-o');
    expect(shortLabel('default')).toBe('default');
  });
});

describe('seed groups', async () => {
  const { seedGroup } = await import('./tables.js');
  it('drops the seed grid value wherever it stands', () => {
    expect(seedGroup('dt/task=graph-dfs,policy=anira-e,seed=0')).toBe('dt/task=graph-dfs,policy=anira-e');
    expect(seedGroup('dt/seed=12,task=x')).toBe('dt/task=x');
    expect(seedGroup('dt/task=x,seed=1,policy=y')).toBe('dt/task=x,policy=y');
    expect(seedGroup('default')).toBe('default');
  });
});

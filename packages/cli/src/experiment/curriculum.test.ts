/** The size curriculum: sizes open up from the smallest over its updates, then all are mixed; deterministic per index. */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from './config.js';
import { curriculumOf, curriculumSizes, setupTask, trainingStream } from './setup.js';

describe('size curriculum', () => {
  it('opens one more size every steps / m updates', () => {
    // 3 sizes over 6 updates: updates 0-1 smallest only, 2-3 two, 4-5 and later all three
    expect(Array.from({ length: 8 }, (_, u) => curriculumSizes(u, 3, 6))).toEqual([1, 1, 2, 2, 3, 3, 3, 3]);
    expect(curriculumSizes(0, 1, 100)).toBe(1);
  });

  it('the training stream draws only open sizes, and the same examples on every call', () => {
    const cfg = parseExperiment({
      name: 'c', seed: 2,
      task: { name: 'addition', params: { digits: 3 }, trainSizes: [3, 1, 2], curriculum: { steps: 6 } },
      policy: { name: 'fixed' }, trainer: { batchSize: 4 },
    });
    const setup = setupTask(cfg);
    const c = curriculumOf(cfg)!;
    expect(c).toEqual({ steps: 6, batchSize: 4 });
    const stream = trainingStream(setup, cfg.seed, new Set(), c);
    const sizeAt = (update: number) => Array.from({ length: 4 }, (_, i) => stream(update * 4 + i).size);
    expect(new Set([0, 1].flatMap(sizeAt))).toEqual(new Set([1]));
    expect(new Set([2, 3].flatMap(sizeAt)).has(3)).toBe(false);
    const late = new Set(Array.from({ length: 20 }, (_, u) => sizeAt(6 + u)).flat());
    expect(late).toEqual(new Set([1, 2, 3]));
    expect(sizeAt(5)).toEqual(sizeAt(5));
    // no curriculum: every size from the first update
    const plain = parseExperiment({ ...cfg, task: { ...cfg.task, curriculum: undefined } });
    expect(curriculumOf(plain)).toBeUndefined();
    expect(() => parseExperiment({ ...cfg, task: { ...cfg.task, curriculum: { steps: 0 } } })).toThrow('"task.curriculum.steps"');
  });
});

/** The three data sets share no input, measured on a task whose input space is small (1-digit sums: 100 inputs). */
import { describe, expect, it } from 'vitest';
import { countOverlap, inputKey } from '@anira/tasks';
import { parseExperiment } from './config.js';
import { HELD_OUT_WARN_SHARE, heldOutShares, heldOutWarnings, splitReport } from './data-splits.js';
import { analysisSet, heldOutKeys, heldOutSet, setupTask, trainingStream } from './setup.js';

const cfg = parseExperiment({
  name: 'splits', seed: 4,
  task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1] },
  policy: { name: 'fixed' },
  eval: { examples: 30, heldOut: 30, tMax: [] },
});

describe('disjoint training, selection and analysis sets', () => {
  it('the plain seed streams share inputs; ours share none, and the summary report counts 0', () => {
    const setup = setupTask(cfg);
    const selection = heldOutSet(setup, cfg.seed, cfg.eval.heldOut);
    const analysis = analysisSet(setup, cfg);
    const plainTraining = new Set(Array.from({ length: 400 }, (_, i) => inputKey(trainingStream(setup, cfg.seed)(i))));
    // without exclusion, most held-out sums also occur in training (the defect this fixes)
    expect(countOverlap(analysis, plainTraining)).toBeGreaterThan(15);
    expect(countOverlap(selection, plainTraining)).toBeGreaterThan(15);
    const report = splitReport(setup, cfg, 400);
    expect(report).toEqual({
      trainingExamples: 400, selectionExamples: 30, analysisExamples: 30,
      overlap: { selectionInTraining: 0, analysisInTraining: 0, analysisInSelection: 0 },
      heldOutDraws: heldOutShares(setup, cfg),
    });
  });
});

describe('held-out share of the training draws per size', () => {
  const mixed = parseExperiment({
    name: 'shares', seed: 2,
    task: { name: 'addition', params: { digits: 3 }, trainSizes: [1, 3], evalSizes: [1, 3] },
    policy: { name: 'fixed' },
    eval: { examples: 40, heldOut: 40, tMax: [] },
  });

  it('counts the plain draws that fall on held-out inputs, per size (against the unexcluded stream)', () => {
    const setup = setupTask(mixed);
    const keys = heldOutKeys(setup, mixed);
    const shares = heldOutShares(setup, mixed, keys, 600);
    // oracle: the stream without exclusion is exactly the plain draws (attempt 0)
    const plain = trainingStream(setup, mixed.seed);
    const expected = new Map([[1, { size: 1, draws: 0, heldOut: 0 }], [3, { size: 3, draws: 0, heldOut: 0 }]]);
    for (let i = 0; i < 600; i++) {
      const ex = plain(i);
      const size = ex.meta.params[setup.task.sizeParam]!; // the size the example was generated at
      const e = expected.get(size)!;
      e.draws++;
      if (keys.has(inputKey(ex))) e.heldOut++;
    }
    expect(shares).toEqual([...expected.values()]);
    expect(shares[0]!.draws + shares[1]!.draws).toBe(600);
  });

  it('1-digit sums: the held-out sets take most of the 100 inputs, and a warning names the size; 3-digit sums: none', () => {
    const setup = setupTask(mixed);
    const [one, three] = heldOutShares(setup, mixed);
    expect(one!.heldOut / one!.draws).toBeGreaterThan(0.3);
    expect(three!.heldOut / three!.draws).toBeLessThan(0.01);
    const warnings = heldOutWarnings(setup, [one!, three!]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^addition size 1: \d+% of its training draws are inputs of the held-out sets/);
    expect(warnings[0]).toContain('eval.heldOut');
    expect(heldOutWarnings(setup, [{ size: 1, draws: 100, heldOut: Math.ceil(100 * HELD_OUT_WARN_SHARE) - 1 }])).toEqual([]);
    expect(heldOutWarnings(setup, [{ size: 1, draws: 100, heldOut: Math.ceil(100 * HELD_OUT_WARN_SHARE) }])).toHaveLength(1);
  });
});

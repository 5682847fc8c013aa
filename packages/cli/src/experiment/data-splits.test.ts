/** The three data sets share no input, measured on a task whose input space is small (1-digit sums: 100 inputs). */
import { describe, expect, it } from 'vitest';
import { countOverlap, inputKey } from '@anira/tasks';
import { parseExperiment } from './config.js';
import { splitReport } from './data-splits.js';
import { analysisSet, heldOutSet, setupTask, trainingStream } from './setup.js';

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
    });
  });
});

/**
 * The overlap report of a run's three data sets (`summary.json` `splits`): how many
 * examples of the selection and analysis sets share their input with the training
 * examples actually drawn (updates × batch size), and with each other. Zero by
 * construction (setup.ts redraws held-out inputs); measured, not assumed, by replaying
 * the training stream.
 */
import { countOverlap, inputKey, type Example } from '@anira/tasks';
import type { ExperimentConfig } from './config.js';
import { analysisSet, curriculumOf, heldOutKeys, heldOutSet, trainingStream, type TaskSetup } from './setup.js';

export interface SplitReport {
  readonly trainingExamples: number;
  readonly selectionExamples: number;
  readonly analysisExamples: number;
  /** Examples of the first set whose input also occurs in the second. */
  readonly overlap: { readonly selectionInTraining: number; readonly analysisInTraining: number; readonly analysisInSelection: number };
}

/** The overlap of the training stream's first `trainingExamples` draws with the selection and analysis sets. */
export function splitReport(setup: TaskSetup, cfg: ExperimentConfig, trainingExamples: number): SplitReport {
  const selection = heldOutSet(setup, cfg.seed, cfg.eval.heldOut);
  const selectionKeys = new Set(selection.map(inputKey));
  const analysis = analysisSet(setup, cfg, selectionKeys);
  const stream = trainingStream(setup, cfg.seed, heldOutKeys(setup, cfg), curriculumOf(cfg));
  const trainingKeys = new Set<string>();
  for (let i = 0; i < trainingExamples; i++) trainingKeys.add(inputKey(stream(i)));
  return {
    trainingExamples,
    selectionExamples: selection.length,
    analysisExamples: analysis.length,
    overlap: {
      selectionInTraining: countOverlap(selection, trainingKeys),
      analysisInTraining: countOverlap(analysis, trainingKeys),
      analysisInSelection: countOverlap(analysis as readonly Example[], selectionKeys),
    },
  };
}

/**
 * The overlap report of a run's three data sets (`summary.json` `splits`): how many
 * examples of the selection and analysis sets share their input with the training
 * examples actually drawn (updates × batch size), and with each other. Zero by
 * construction (setup.ts redraws held-out inputs); measured, not assumed, by replaying
 * the training stream. And, per training size, the share of the stream's plain draws
 * that fell on held-out inputs and were redrawn (`heldOutShares`): where a size's
 * input space is small (100 one-digit sums), the held-out sets can take most of it,
 * and training then sees only the rest; `heldOutWarnings` names such sizes.
 */
import { countOverlap, inputKey, type Example } from '@anira/tasks';
import type { ExperimentConfig } from './config.js';
import { analysisSet, curriculumOf, heldOutKeys, heldOutSet, trainingDraw, trainingStream, type OpenSizes, type TaskSetup } from './setup.js';

/** Plain training draws sampled by `heldOutShares` (the stream's first ones, all sizes together). */
export const SHARE_DRAWS = 2000;
/** A size whose held-out share of training draws reaches this gets a warning (`heldOutWarnings`). */
export const HELD_OUT_WARN_SHARE = 0.2;

/** Of the training stream's plain draws at one size, how many were inputs of the held-out sets (and were redrawn). */
export interface HeldOutShare {
  readonly size: number;
  readonly draws: number;
  readonly heldOut: number;
}

export interface SplitReport {
  readonly trainingExamples: number;
  readonly selectionExamples: number;
  readonly analysisExamples: number;
  /** Examples of the first set whose input also occurs in the second. */
  readonly overlap: { readonly selectionInTraining: number; readonly analysisInTraining: number; readonly analysisInSelection: number };
  /** Per training size, the plain draws of the training stream that fell on held-out inputs (`heldOutShares`). */
  readonly heldOutDraws: readonly HeldOutShare[];
}

/**
 * The overlap of the training stream's first `trainingExamples` draws with the
 * selection and analysis sets; `open`: the sizes a gated curriculum opened, as the
 * run drew them (curriculum-gate.ts).
 */
export function splitReport(setup: TaskSetup, cfg: ExperimentConfig, trainingExamples: number, open?: OpenSizes): SplitReport {
  const selection = heldOutSet(setup, cfg.seed, cfg.eval.heldOut);
  const selectionKeys = new Set(selection.map(inputKey));
  const analysis = analysisSet(setup, cfg, selectionKeys);
  const keys = heldOutKeys(setup, cfg);
  const stream = trainingStream(setup, cfg.seed, keys, open ?? curriculumOf(cfg));
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
    heldOutDraws: heldOutShares(setup, cfg, keys),
  };
}

/**
 * Per training size (in `task.trainSizes` order): of the training stream's first
 * `draws` plain draws (attempt 0, before any redraw), how many fell at that size and
 * how many of those were inputs of the selection or analysis set. With a gated
 * curriculum, whose openings are not known before training, the draws of the stream
 * with every size open (the share describes each size's input space either way).
 */
export function heldOutShares(setup: TaskSetup, cfg: ExperimentConfig, keys = heldOutKeys(setup, cfg), draws = SHARE_DRAWS): HeldOutShare[] {
  const draw = trainingDraw(setup, cfg.seed, curriculumOf(cfg));
  const bySize = new Map(setup.trainSizes.map((size) => [size, { size, draws: 0, heldOut: 0 }]));
  for (let i = 0; i < draws; i++) {
    const { size, example } = draw(i, 0);
    const s = bySize.get(size);
    if (!s) throw new Error(`heldOutShares: a training draw at size ${size}, not one of the training sizes`);
    s.draws++;
    if (keys.has(inputKey(example))) s.heldOut++;
  }
  return [...bySize.values()];
}

/** One line per training size whose held-out share reaches `HELD_OUT_WARN_SHARE`, naming the size and what to change. */
export function heldOutWarnings(setup: TaskSetup, shares: readonly HeldOutShare[]): string[] {
  return shares
    .filter((s) => s.draws > 0 && s.heldOut / s.draws >= HELD_OUT_WARN_SHARE)
    .map((s) => {
      const pct = Math.round((100 * s.heldOut) / s.draws);
      return `${setup.task.name} size ${s.size}: ${pct}% of its training draws are inputs of the held-out sets (selection and analysis) and are redrawn, so training sees only the other inputs of this size (its input space is small); lower eval.heldOut or eval.examples, or leave ${s.size} out of task.trainSizes`;
    });
}

/**
 * A training progress line with ETA for scripts, in one call:
 * `new Trainer({ ..., onProgress: progressLine() })` prints, every `every` updates and
 * at the last, the line the CLI prints when its output is not a terminal:
 * `train step 250/1000 (25%) ETA 41s loss 0.5123 acc 0.812 depth 2.31`.
 * Browser-safe: lines go to `write` (default `console.log`).
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { TrainProgress } from './training-core.js';

/** Options of `progressLine`. */
export interface ProgressLineOptions {
  /** First word of the line. Default `train`. */
  readonly label?: string;
  /** Print every N updates (and always at the last). Default 25. */
  readonly every?: number;
  /** Where a line goes (without a newline). Default `console.log`. */
  readonly write?: (line: string) => void;
  /** Clock in ms (tests). Default `Date.now`. */
  readonly now?: () => number;
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/** The progress line of `p`, given the seconds left (`eta`). */
export function formatProgressLine(p: TrainProgress, eta: number, label = 'train'): string {
  const pct = Math.round((100 * p.step) / p.totalSteps);
  return `${label} step ${p.step}/${p.totalSteps} (${pct}%) ETA ${eta.toFixed(0)}s loss ${fmt(p.loss, 4)} acc ${fmt(p.accuracy, 3)} depth ${fmt(p.meanDepth, 2)}`;
}

/**
 * An `onProgress` callback that prints `formatProgressLine` every `every` updates and
 * at the last. The ETA is the wall time per update since the callback was made (from
 * the first update it saw, so a resumed run is timed from its resume) times the
 * updates left, as the CLI computes it.
 */
export function progressLine(options: ProgressLineOptions = {}): (p: TrainProgress) => void {
  const { label = 'train', every = 25, write = (line: string) => console.log(line), now = () => Date.now() } = options;
  if (!Number.isInteger(every) || every < 1) throw new AniraInputError(`progressLine: "every" must be an integer >= 1, got ${every}`, { field: 'every', value: every });
  const start = now();
  let first: number | undefined;
  return (p) => {
    first ??= p.step - 1;
    if (p.step % every !== 0 && p.step !== p.totalSteps) return;
    const done = p.step - first;
    const eta = done > 0 ? ((now() - start) / 1000 / done) * (p.totalSteps - p.step) : 0;
    write(formatProgressLine(p, eta, label));
  };
}

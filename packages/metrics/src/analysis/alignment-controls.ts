/**
 * Position controls for the alignment analysis (science.md, "Controls for the
 * alignment analysis"): a label or a depth that only tracks where the token sits would
 * show a high plain rho without any per-token adaptivity. Position is the ANSWER STEP
 * (index among the example's target tokens), a category: the absolute sequence index
 * mixes in the prompt length (on graph tasks 2·edges + answer step, collinear with size).
 * Three checks:
 *  - partial Spearman(depth, difficulty | answer step × size cells) with a cluster-
 *    bootstrap CI: ranks centred within each (size, answer step) cell (size only when it
 *    varies), i.e. both controls categorical;
 *  - answer-step-only R²: depth (and difficulty) on the answer step alone, one-hot
 *    (numeric + square when it has more than 64 levels);
 *  - stratified: token-weighted mean of the Spearman within (size, answer step) cells,
 *    over cells with >= 20 tokens and variance in both depth and difficulty.
 * All inputs are per-token columns of length n (see token-table.ts).
 */
import { clusterBootstrapColumnsCI, type BootstrapOptions } from '../stats/bootstrap.js';
import { correlationTP, spearmanUnchecked } from '../stats/correlation.js';
import { ols } from '../stats/ols.js';
import { partialSpearmanStrata } from '../stats/partial.js';
import { denseCodes } from '../stats/ranks.js';
import { isConstant } from '../stats/validate.js';
import type { CorrelationWithCI } from './alignment.js';

export interface PositionBaseline {
  /** R² of exit depth on the answer step alone (one-hot; numeric + square if > 64 levels). */
  readonly depthR2: number;
  /** Same for the difficulty label: how much of the label position alone predicts. */
  readonly difficultyR2: number;
  readonly spearmanPositionDifficulty: number;
  readonly spearmanPositionDepth: number;
}

export interface Stratified {
  readonly spearman: number;
  /** Cells ((size, answer step), or answer step when sizes do not vary) used. */
  readonly positions: number;
  readonly tokens: number;
}

/** Most position levels that are one-hot encoded; more switch to numeric + square. */
export const MAX_ONE_HOT_POSITIONS = 64;
/** Fewest tokens a cell needs to enter the stratified mean. */
export const MIN_STRATUM_TOKENS = 20;

/** Partial Spearman given categorical strata (`cells`), with its cluster-bootstrap CI. */
export function partialControl(
  depth: Float64Array,
  difficulty: Float64Array,
  cells: Float64Array,
  names: string,
  clusters: Int32Array,
  options: BootstrapOptions,
): { correlation: CorrelationWithCI; note?: string } {
  const { r, k, explained } = partialSpearmanStrata(depth, difficulty, cells);
  const df = depth.length - 2 - k;
  if (df < 1) {
    const nanCI = { lower: Number.NaN, upper: Number.NaN, level: options.level ?? 0.95, resamples: options.resamples ?? 1000, validResamples: 0 };
    return { correlation: { statistic: Number.NaN, pValue: Number.NaN, ci: nanCI }, note: `too few tokens to control for ${k + 1} cells` };
  }
  // Rank statistics are invariant under strictly increasing maps: bootstrap on dense codes.
  const cols = [depth, difficulty].map((v) => Float64Array.from(denseCodes(v).codes));
  const ci = clusterBootstrapColumnsCI((c) => partialSpearmanStrata(c[0]!, c[1]!, c[2]!).r, [...cols, cells], clusters, options);
  const note = explained ? `depth or difficulty is a function of ${names}: no variation left beyond them (partial rho reported as 0)` : undefined;
  return { correlation: { statistic: r, pValue: correlationTP(r, depth.length - k), ci }, ...(note !== undefined ? { note } : {}) };
}

/** Cell code of each token: its answer step, crossed with its size when sizes vary. */
export function controlCells(answerStep: Float64Array, size: Float64Array): Float64Array {
  const withSize = !isConstant(size);
  const codes = new Map<string, number>();
  return Float64Array.from(answerStep, (a, i) => {
    const key = withSize ? `${size[i]!}:${a}` : `${a}`;
    let c = codes.get(key);
    if (c === undefined) codes.set(key, (c = codes.size));
    return c;
  });
}

/** R² of `y` on position alone (NaN when y is constant). */
function positionR2(position: Float64Array, y: Float64Array): number {
  if (isConstant(y) || y.length < 2) return Number.NaN;
  const levels = denseCodes(position).levels;
  const fit = levels <= MAX_ONE_HOT_POSITIONS
    ? ols(y, [{ name: 'position', kind: 'categorical', values: position }])
    : ols(y, [{ name: 'position', values: position }, { name: 'position^2', values: position.map((p) => p * p) }]);
  return fit.r2;
}

export function positionBaseline(position: Float64Array, depth: Float64Array, difficulty: Float64Array): PositionBaseline {
  return {
    depthR2: positionR2(position, depth),
    difficultyR2: positionR2(position, difficulty),
    spearmanPositionDifficulty: spearmanUnchecked(position, difficulty),
    spearmanPositionDepth: spearmanUnchecked(position, depth),
  };
}

export function stratifiedSpearman(position: Float64Array, depth: Float64Array, difficulty: Float64Array): Stratified {
  const groups = new Map<number, number[]>();
  position.forEach((p, i) => {
    let g = groups.get(p);
    if (!g) groups.set(p, (g = []));
    g.push(i);
  });
  let sum = 0, tokens = 0, positions = 0;
  for (const idx of groups.values()) {
    if (idx.length < MIN_STRATUM_TOKENS) continue;
    const d = Float64Array.from(idx, (i) => depth[i]!);
    const y = Float64Array.from(idx, (i) => difficulty[i]!);
    if (isConstant(d) || isConstant(y)) continue;
    sum += spearmanUnchecked(d, y) * idx.length;
    tokens += idx.length;
    positions++;
  }
  return { spearman: tokens > 0 ? sum / tokens : Number.NaN, positions, tokens };
}

/**
 * Alignment: does compute follow complexity? Spearman rho and Kendall tau-b between
 * each token's exit depth (and expected depth, when every token has one) and its
 * difficulty, with p-values and cluster-bootstrap CIs (examples resampled), plus a
 * per-difficulty table of token count, mean +- sd depth and accuracy.
 * Controls for position (see alignment-controls.ts): the partial Spearman given the
 * answer step (and size where sizes vary) as categorical cells, the answer-step-only
 * R² baseline and the Spearman within (size, answer step) cells.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { clusterBootstrapCI, type BootstrapOptions, type ConfidenceInterval } from '../stats/bootstrap.js';
import { spearman, spearmanUnchecked } from '../stats/correlation.js';
import { kendall, kendallUnchecked } from '../stats/kendall.js';
import { denseCodes } from '../stats/ranks.js';
import { isConstant } from '../stats/validate.js';
import type { Trace } from '../trace.js';
import { controlCells, partialControl, positionBaseline, stratifiedSpearman, type PositionBaseline, type Stratified } from './alignment-controls.js';
import { meanSd, tokenTable } from './token-table.js';

export interface CorrelationWithCI {
  readonly statistic: number;
  readonly pValue: number;
  readonly ci: ConfidenceInterval;
}

export interface DepthDifficultyCorrelation {
  readonly spearman: CorrelationWithCI;
  readonly kendall: CorrelationWithCI;
}

export interface DifficultyRow {
  readonly difficulty: number;
  readonly tokens: number;
  readonly meanDepth: number;
  readonly sdDepth: number;
  readonly accuracy: number;
}

export interface AlignmentResult {
  readonly tokens: number;
  readonly examples: number;
  readonly exitDepth: DepthDifficultyCorrelation;
  /** Null when some token has no expected depth (the policy defines no distribution). */
  readonly expectedDepth: DepthDifficultyCorrelation | null;
  readonly byDifficulty: readonly DifficultyRow[];
  readonly partial: {
    /** Controls, as categorical cells: 'answer step' always; 'size' when example sizes vary. */
    readonly covariates: readonly string[];
    /** Partial Spearman(depth, difficulty | covariates). */
    readonly exitDepth: CorrelationWithCI;
    readonly expectedDepth: CorrelationWithCI | null;
    /** Set when the partial is undefined (nothing varies within the cells, or too few tokens). */
    readonly note?: string;
  };
  readonly positionBaseline: PositionBaseline;
  /** Token-weighted mean of Spearman(depth, difficulty) within (size, answer step) cells with >= 20 tokens and variance in both. */
  readonly stratified: Stratified;
  /** Set when the analysis is undefined, e.g. "undefined: all tokens have one difficulty". */
  readonly undefinedReason?: string;
}

function correlate(x: Float64Array, y: Float64Array, ids: Int32Array, opts: BootstrapOptions): DepthDifficultyCorrelation {
  const s = spearman(x, y);
  const k = kendall(x, y);
  // Rank statistics are invariant under strictly increasing maps, so the bootstrap runs on
  // dense integer codes of the values (identical results, fast counting paths).
  const cx = Float64Array.from(denseCodes(x).codes);
  const cy = Float64Array.from(denseCodes(y).codes);
  return {
    spearman: { statistic: s.statistic, pValue: s.pValue, ci: clusterBootstrapCI(spearmanUnchecked, cx, cy, ids, opts) },
    kendall: { statistic: k.statistic, pValue: k.pValue, ci: clusterBootstrapCI(kendallUnchecked, cx, cy, ids, opts) },
  };
}

/**
 * Alignment of depth with difficulty. Needs >= 3 tokens in >= 2 examples; throws
 * "alignment: the trace has no target tokens" on an empty trace. Constant difficulty or
 * depth gives NaN statistics and `undefinedReason`.
 */
export function alignment(trace: Trace, options: BootstrapOptions = {}): AlignmentResult {
  const t = tokenTable(trace);
  if (t.n === 0) throw new AniraInputError('alignment: the trace has no target tokens', { code: 'insufficient-data' });
  const exitDepth = correlate(t.exitDepth, t.difficulty, t.example, options);
  const hasExpected = t.expectedDepth.every((v) => !Number.isNaN(v));
  const expectedDepth = hasExpected ? correlate(t.expectedDepth, t.difficulty, t.example, options) : null;
  const covariates = isConstant(t.size) ? ['answer step'] : ['answer step', 'size'];
  const cells = controlCells(t.answerIndex, t.size);
  const pExit = partialControl(t.exitDepth, t.difficulty, cells, covariates.join(' and '), t.example, options);
  const pExpected = hasExpected ? partialControl(t.expectedDepth, t.difficulty, cells, covariates.join(' and '), t.example, options) : null;
  const undefinedReason = isConstant(t.difficulty)
    ? 'undefined: all tokens have one difficulty'
    : isConstant(t.exitDepth)
      ? 'undefined: all tokens have one exit depth'
      : undefined;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < t.n; i++) {
    const d = t.difficulty[i]!;
    let g = groups.get(d);
    if (!g) groups.set(d, (g = []));
    g.push(i);
  }
  const byDifficulty = [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([difficulty, idx]) => {
      const { mean, sd } = meanSd(idx.map((i) => t.exitDepth[i]!));
      return { difficulty, tokens: idx.length, meanDepth: mean, sdDepth: sd, accuracy: idx.reduce((a, i) => a + t.correct[i]!, 0) / idx.length };
    });
  const note = pExit.note ?? pExpected?.note;
  return {
    tokens: t.n,
    examples: trace.examples.length,
    exitDepth,
    expectedDepth,
    byDifficulty,
    partial: {
      covariates,
      exitDepth: pExit.correlation,
      expectedDepth: pExpected?.correlation ?? null,
      ...(note !== undefined ? { note } : {}),
    },
    positionBaseline: positionBaseline(t.answerIndex, t.exitDepth, t.difficulty),
    stratified: stratifiedSpearman(cells, t.exitDepth, t.difficulty),
    ...(undefinedReason !== undefined ? { undefinedReason } : {}),
  };
}

/**
 * Text renderings of the analyses (used by `anira analyze` and the main job's
 * summary): one summary line per trace, and a full multi-section analysis.
 */
import type { Trace } from '../trace.js';
import { alignment, type AlignmentResult, type CorrelationWithCI } from './alignment.js';
import { decisionTiming, type DecisionTimingResult } from './decision-timing.js';
import type { FeatureSets } from './feature-sets.js';
import { efficiency, type EfficiencyResult } from './efficiency.js';
import { fmtNum, fmtP, formatTable, type Cell } from './format-table.js';
import { generalization, type GeneralizationResult } from './generalization.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';

const ci = (c: { lower: number; upper: number }): string => `[${fmtNum(c.lower)}, ${fmtNum(c.upper)}]`;

/** A statistic, or the words of `undefinedReason` when the analysis is undefined (never "NaN"). */
const orReason = (v: number, reason: string | undefined): Cell => (reason !== undefined && Number.isNaN(v) ? reason : v);

/** One line per trace: accuracy, depth, compute, the headline alignment rho and its partial given position. */
export function formatSummaryTable(traces: readonly Trace[]): string {
  const rows = traces.map((t) => {
    const e = efficiency(t);
    let rho: Cell = Number.NaN, partial: Cell = Number.NaN;
    try {
      const a = alignment(t, { resamples: 1 });
      rho = orReason(a.exitDepth.spearman.statistic, a.undefinedReason);
      partial = orReason(a.partial.exitDepth.statistic, a.undefinedReason);
    } catch {
      // no tokens, fewer than 3 tokens or 2 examples: rho stays n/a
    }
    return [e.label, t.header.task, e.tokens, e.tokenAccuracy, e.exactMatch, e.meanDepth, e.depthFraction, e.flopsRatio, rho, partial];
  });
  return formatTable(['run', 'task', 'tokens', 'tok acc', 'exact', 'depth', 'depth/T', 'flops/fixed', 'rho(depth,diff)', 'partial rho|pos'], rows);
}

/** The alignment result as text tables (correlations with CIs, controls, per-difficulty rows). */
export function formatAlignment(a: AlignmentResult, title = 'Alignment: depth vs difficulty'): string {
  const why = a.undefinedReason;
  const corr: Cell[][] = [];
  const add = (what: string, c: AlignmentResult['exitDepth'], partial: CorrelationWithCI | null): void => {
    corr.push([what, 'Spearman rho', orReason(c.spearman.statistic, why), ci(c.spearman.ci), fmtP(c.spearman.pValue)]);
    corr.push([what, 'Kendall tau-b', orReason(c.kendall.statistic, why), ci(c.kendall.ci), fmtP(c.kendall.pValue)]);
    if (partial) corr.push([what, `partial rho | ${a.partial.covariates.join(' x ')} (cells)`, orReason(partial.statistic, why), ci(partial.ci), fmtP(partial.pValue)]);
  };
  add('exit depth', a.exitDepth, a.partial.exitDepth);
  if (a.expectedDepth) add('expected depth', a.expectedDepth, a.partial.expectedDepth);
  const level = Math.round(a.exitDepth.spearman.ci.level * 100);
  const t1 = formatTable(['depth', 'statistic', 'value', `${level}% CI (examples)`, 'p'], corr, `${title} (${a.tokens} tokens, ${a.examples} examples)`);
  const b = a.positionBaseline, st = a.stratified;
  const t2 = formatTable(['control', 'value'], [
    ['R2 of depth on answer step alone (one-hot)', orReason(b.depthR2, why)],
    ['R2 of difficulty on answer step alone (one-hot)', orReason(b.difficultyR2, why)],
    ['Spearman(answer step, depth)', orReason(b.spearmanPositionDepth, why)],
    ['Spearman(answer step, difficulty)', orReason(b.spearmanPositionDifficulty, why)],
    [`rho within (size, answer step) cells (${st.positions} cells, ${st.tokens} tokens)`, st.positions > 0 ? st.spearman : 'no cell with >= 20 tokens and variance in both'],
  ], 'Position controls (position = answer step, categorical)');
  const t3 = formatTable(['difficulty', 'tokens', 'mean depth', 'sd', 'accuracy'], a.byDifficulty.map((r) => [r.difficulty, r.tokens, r.meanDepth, r.sdDepth, r.accuracy]));
  const notes = [why, a.partial.note].filter((n): n is string => n !== undefined).map((n) => `note: ${n}`);
  return [t1, ...(notes.length ? [notes.join('\n')] : []), t2, t3].join('\n\n');
}

/** The generalization result as two text tables: by input size, and in- vs out-of-distribution. */
export function formatGeneralization(g: GeneralizationResult): string {
  const t1 = formatTable(['run', 'T', 'size', 'split', 'examples', 'tok acc', 'exact', 'mean depth'],
    g.bySize.map((r) => [r.label, r.tMax, r.size, r.inDistribution ? 'in' : 'OUT', r.examples, r.tokenAccuracy, r.exactMatch, r.meanDepth]), 'Generalization by input size');
  const t2 = formatTable(['run', 'T', 'split', 'examples', 'tok acc', 'exact', 'mean depth'],
    g.splits.map((r) => [r.label, r.tMax, r.split, r.examples, r.tokenAccuracy, r.exactMatch, r.meanDepth]), 'In- vs out-of-distribution (training size range)');
  return `${t1}\n\n${t2}`;
}

/** Decision-timing results (one per trace) as text tables: two-group and three-group commonality, drop-one, per feature. */
export function formatDecisionTiming(results: readonly (DecisionTimingResult & { withProxies?: DecisionTimingResult })[]): string {
  return formatTable(['run', 'R2 static', 'R2 dynamic', 'R2 both', 'unique S', 'unique D', 'shared', 'Shapley S', 'Shapley D'],
    results.map((d) => [d.label, d.r2Static, d.r2Dynamic, d.r2Both, d.uniqueStatic, d.uniqueDynamic, d.shared, d.shapleyStatic, d.shapleyDynamic]),
    'Decision timing: R^2 of depth on static vs dynamic features (commonality; position features excluded)') +
    '\n\n' +
    formatTable(['run', 'R2 S', 'R2 P', 'R2 D', 'R2 all', 'unique S', 'unique P', 'unique D', 'SP', 'SD', 'PD', 'SPD', 'Shapley S', 'Shapley P', 'Shapley D'],
      results.map(({ label, threeWay: w }) => [label, w.r2.static, w.r2.position, w.r2.dynamic, w.r2.all, w.unique.static, w.unique.position, w.unique.dynamic,
        w.shared.staticPosition, w.shared.staticDynamic, w.shared.positionDynamic, w.shared.all, w.shapley.static, w.shapley.position, w.shapley.dynamic]),
      'Decision timing: static (S) / position (P) / dynamic (D), commonality parts (shared by exactly SP, SD, PD, SPD) and Shapley shares; R2 P is the position GROUP (answer step one-hot, with any other position feature), label proxies excluded') +
    '\n\n' +
    formatTable(['run', 'excluded proxies', 'R2 all with proxies', 'Shapley S with', 'Shapley D with', 'corr fit S,P', 'corr fit S,D', 'corr fit P,D'],
      results.map((d) => {
        const w = d.withProxies?.threeWay;
        return [d.label, d.proxies.join(', ') || '-', w ? w.r2.all : '-', w ? w.shapley.static : '-', w ? w.shapley.dynamic : '-', d.collinearity.staticPosition, d.collinearity.staticDynamic, d.collinearity.positionDynamic];
      }),
      'Decision timing: label proxies (with them, where any was excluded) and collinearity of the groups (Pearson correlation of their fitted values)') +
    '\n\n' +
    formatTable(['run', 'feature', 'group', 'delta R2'],
      results.flatMap((d) => d.dropOne.map((f) => [d.label, f.name, f.group, f.deltaR2])),
      'Decision timing: drop-one, R^2 of the full model minus R^2 without the feature') +
    '\n\n' +
    formatTable(['run', 'feature', 'group', 'R2 alone'],
      results.flatMap((d) => d.perFeature.map((f) => [d.label, f.name, f.group, f.r2])),
      'Decision timing: R^2 of depth on each feature alone') +
    (results.some((d) => d.featureSets.length > 0)
      ? '\n\n' + formatTable(['run', 'set', 'features in the model', 'left out', 'delta R2 (set dropped)', 'R2 set alone'],
        results.flatMap((d) => d.featureSets.map((s) => [d.label, s.name, s.features.join(', ') || '-', s.leftOut.join(', ') || '-', s.deltaR2, s.r2Alone])),
        'Decision timing: feature sets, R^2 of the full model minus R^2 without every feature of the set, and R^2 of the set alone')
      : '') +
    results.flatMap((d) => d.notes.map((n) => `\nnote [${d.label}]: ${n}`)).join('');
}

/** Decision timing without label proxies, and with them when any was excluded. */
function withProxyVariant(t: Trace, featureSets?: FeatureSets): DecisionTimingResult & { withProxies?: DecisionTimingResult } {
  const d = decisionTiming(t, featureSets ? { featureSets } : {});
  return d.proxies.length > 0 ? { ...d, withProxies: decisionTiming(t, { proxies: 'include' }) } : d;
}

/** Efficiency results (one per trace) as one text table. */
export function formatEfficiency(results: readonly EfficiencyResult[]): string {
  return formatTable(['run', 'T', 'tokens', 'mean depth', 'depth/T', 'executed FLOPs', 'fixed-depth FLOPs', 'ratio', 'tok acc'],
    results.map((e) => [e.label, e.tMax, e.tokens, e.meanDepth, e.depthFraction, e.executedFlops.toExponential(3), e.fixedDepthFlops.toExponential(3), e.flopsRatio, e.tokenAccuracy]),
    'Efficiency');
}

/** Options of formatAnalysis: the bootstrap's, and named decision-timing feature sets. */
export interface FormatAnalysisOptions extends BootstrapOptions {
  readonly featureSets?: FeatureSets;
}

/** All analyses for one or more traces as one text block. */
export function formatAnalysis(traces: readonly Trace[], options: FormatAnalysisOptions = {}): string {
  const { featureSets, ...bootstrap } = options;
  const parts = [formatSummaryTable(traces)];
  for (const t of traces) parts.push(formatAlignment(alignment(t, bootstrap), `Alignment [${t.header.label ?? t.header.policy}]: depth vs difficulty`));
  parts.push(formatGeneralization(generalization(traces)));
  parts.push(formatDecisionTiming(traces.map((t) => withProxyVariant(t, featureSets))));
  parts.push(formatEfficiency(traces.map(efficiency)));
  return parts.join('\n\n');
}

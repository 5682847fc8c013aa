/**
 * Text renderings of the analyses (used by `anira analyze` and the main job's
 * summary): one summary line per trace, and a full multi-section analysis.
 */
import type { Trace } from '../trace.js';
import { alignment, type AlignmentResult } from './alignment.js';
import { decisionTiming, type DecisionTimingResult } from './decision-timing.js';
import { efficiency, type EfficiencyResult } from './efficiency.js';
import { fmtNum, fmtP, formatTable } from './format-table.js';
import { generalization, type GeneralizationResult } from './generalization.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';

const ci = (c: { lower: number; upper: number }): string => `[${fmtNum(c.lower)}, ${fmtNum(c.upper)}]`;

/** One line per trace: accuracy, depth, compute and the headline alignment rho. */
export function formatSummaryTable(traces: readonly Trace[]): string {
  const rows = traces.map((t) => {
    const e = efficiency(t);
    let rho = Number.NaN;
    try {
      rho = alignment(t, { resamples: 1 }).exitDepth.spearman.statistic;
    } catch {
      // fewer than 3 tokens or 2 examples: rho stays n/a
    }
    return [e.label, t.header.task, e.tokens, e.tokenAccuracy, e.exactMatch, e.meanDepth, e.depthFraction, e.flopsRatio, rho];
  });
  return formatTable(['run', 'task', 'tokens', 'tok acc', 'exact', 'depth', 'depth/T', 'flops/fixed', 'rho(depth,diff)'], rows);
}

export function formatAlignment(a: AlignmentResult, title = 'Alignment: depth vs difficulty'): string {
  const corr: (string | number)[][] = [];
  const add = (what: string, c: AlignmentResult['exitDepth']): void => {
    corr.push([what, 'Spearman rho', c.spearman.statistic, ci(c.spearman.ci), fmtP(c.spearman.pValue)]);
    corr.push([what, 'Kendall tau-b', c.kendall.statistic, ci(c.kendall.ci), fmtP(c.kendall.pValue)]);
  };
  add('exit depth', a.exitDepth);
  if (a.expectedDepth) add('expected depth', a.expectedDepth);
  const level = Math.round(a.exitDepth.spearman.ci.level * 100);
  const t1 = formatTable(['depth', 'statistic', 'value', `${level}% CI (examples)`, 'p'], corr, `${title} (${a.tokens} tokens, ${a.examples} examples)`);
  const t2 = formatTable(['difficulty', 'tokens', 'mean depth', 'sd', 'accuracy'], a.byDifficulty.map((r) => [r.difficulty, r.tokens, r.meanDepth, r.sdDepth, r.accuracy]));
  return `${t1}\n\n${t2}`;
}

export function formatGeneralization(g: GeneralizationResult): string {
  const t1 = formatTable(['run', 'T', 'size', 'split', 'examples', 'tok acc', 'exact', 'mean depth'],
    g.bySize.map((r) => [r.label, r.tMax, r.size, r.inDistribution ? 'in' : 'OUT', r.examples, r.tokenAccuracy, r.exactMatch, r.meanDepth]), 'Generalization by input size');
  const t2 = formatTable(['run', 'T', 'split', 'examples', 'tok acc', 'exact', 'mean depth'],
    g.splits.map((r) => [r.label, r.tMax, r.split, r.examples, r.tokenAccuracy, r.exactMatch, r.meanDepth]), 'In- vs out-of-distribution (training size range)');
  return `${t1}\n\n${t2}`;
}

export function formatDecisionTiming(results: readonly DecisionTimingResult[]): string {
  return formatTable(['run', 'R2 static', 'R2 dynamic', 'R2 both', 'unique S', 'unique D', 'shared', 'Shapley S', 'Shapley D'],
    results.map((d) => [d.label, d.r2Static, d.r2Dynamic, d.r2Both, d.uniqueStatic, d.uniqueDynamic, d.shared, d.shapleyStatic, d.shapleyDynamic]),
    'Decision timing: R^2 of depth on static vs dynamic features (commonality)') +
    '\n\n' +
    formatTable(['run', 'feature', 'group', 'R2 alone'],
      results.flatMap((d) => d.perFeature.map((f) => [d.label, f.name, f.group, f.r2])),
      'Decision timing: R^2 of depth on each feature alone');
}

export function formatEfficiency(results: readonly EfficiencyResult[]): string {
  return formatTable(['run', 'T', 'tokens', 'mean depth', 'depth/T', 'executed FLOPs', 'fixed-depth FLOPs', 'ratio', 'tok acc'],
    results.map((e) => [e.label, e.tMax, e.tokens, e.meanDepth, e.depthFraction, e.executedFlops.toExponential(3), e.fixedDepthFlops.toExponential(3), e.flopsRatio, e.tokenAccuracy]),
    'Efficiency');
}

/** All analyses for one or more traces as one text block. */
export function formatAnalysis(traces: readonly Trace[], options: BootstrapOptions = {}): string {
  const parts = [formatSummaryTable(traces)];
  for (const t of traces) parts.push(formatAlignment(alignment(t, options), `Alignment [${t.header.label ?? t.header.policy}]: depth vs difficulty`));
  parts.push(formatGeneralization(generalization(traces)));
  parts.push(formatDecisionTiming(traces.map((t) => decisionTiming(t))));
  parts.push(formatEfficiency(traces.map(efficiency)));
  return parts.join('\n\n');
}

/**
 * The paper's three tables over a set of run folders, as Markdown: alignment
 * (accuracy, mean depth, Spearman / Kendall between exit depth and difficulty with
 * cluster-bootstrap 95% CIs), generalization (accuracy and depth per input size and
 * inference T_max), and decision timing (R² of depth on static vs dynamic features
 * with the commonality decomposition).
 */
import {
  alignment,
  decisionTiming,
  efficiency,
  generalization,
  meanSd,
  type AlignmentResult,
  type DecisionTimingResult,
  type EfficiencyResult,
  type Trace,
} from '@anira/metrics';

export interface RunTraces {
  readonly name: string;
  readonly traces: readonly Trace[];
}

/** The analyses of one run's main trace, computed once and shared by every table. */
export interface RunAnalysis extends RunTraces {
  readonly main: Trace;
  readonly efficiency: EfficiencyResult;
  /** Undefined when no correlation is defined (constant depth, too few tokens). */
  readonly alignment?: AlignmentResult;
  readonly timing?: DecisionTimingResult;
  readonly timingError?: string;
}

export function analyseRuns(runs: readonly RunTraces[], resamples: number, seed: number): RunAnalysis[] {
  return runs.map((run) => {
    const main = run.traces[0]!;
    let align: AlignmentResult | undefined;
    try {
      align = alignment(main, { resamples, seed });
    } catch {
      // constant depth or too few tokens: no correlation
    }
    let timing: DecisionTimingResult | undefined;
    let timingError: string | undefined;
    try {
      timing = decisionTiming(main);
    } catch (e) {
      timingError = (e as Error).message.split('\n')[0];
    }
    return {
      ...run,
      main,
      efficiency: efficiency(main),
      ...(align ? { alignment: align } : {}),
      ...(timing ? { timing } : {}),
      ...(timingError !== undefined ? { timingError } : {}),
    };
  });
}

const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d));
const md = (headers: string[], rows: (string | number)[][]) =>
  [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const sizeR2 = (d: DecisionTimingResult) => d.perFeature.find((x) => x.name === 'size')?.r2;

export function alignmentTable(runs: readonly RunAnalysis[]): string {
  const rows = runs.map(({ name, main, efficiency: e, alignment: a }) => {
    const ci = (c: { statistic: number; ci: { lower: number; upper: number } }) => `${f(c.statistic)} [${f(c.ci.lower)}, ${f(c.ci.upper)}]`;
    const rho = a ? ci(a.exitDepth.spearman) : 'n/a';
    const tau = a ? ci(a.exitDepth.kendall) : 'n/a';
    return [name, main.header.task, main.header.policy, e.tokens, f(e.tokenAccuracy), f(e.exactMatch), f(e.meanDepth, 2), f(e.depthFraction), rho, tau];
  });
  return md(['run', 'task', 'policy', 'tokens', 'tok acc', 'exact', 'mean depth', 'depth/T', 'Spearman ρ [95% CI]', 'Kendall τ-b [95% CI]'], rows);
}

export function generalizationTable(runs: readonly RunTraces[]): string {
  const rows: (string | number)[][] = [];
  for (const { name, traces } of runs) {
    for (const r of generalization(traces).bySize) {
      rows.push([name, r.tMax, r.size, r.inDistribution ? 'in' : 'OUT', f(r.tokenAccuracy), f(r.exactMatch), f(r.meanDepth, 2)]);
    }
  }
  return md(['run', 'inference T_max', 'size', 'split', 'tok acc', 'exact', 'mean depth'], rows);
}

export function decisionTimingTable(runs: readonly RunAnalysis[]): string {
  const rows = runs.map(({ name, main, timing: d, timingError }) =>
    d
      ? [name, d.policy, d.tokens, f(d.r2Static), f(d.r2Dynamic), f(d.r2Both), f(d.uniqueStatic), f(d.uniqueDynamic), f(d.shared), f(sizeR2(d))]
      : [name, main.header.policy, '-', `n/a (${timingError ?? ''})`, '', '', '', '', '', ''],
  );
  return md(['run', 'policy', 'tokens', 'R² static', 'R² dynamic', 'R² both', 'unique static', 'unique dynamic', 'shared', 'R² size alone'], rows);
}

/** Run name with its `seed=N` grid value removed (the group of seeds it belongs to). */
export function seedGroup(name: string): string {
  return name.replace(/(^|[,/])seed=\d+(,|$)/, (_m, a: string, b: string) => (a === '/' || a === '' ? a : b === ',' ? ',' : '')).replace(/,$/, '');
}

/** "mean ± sd" over the finite values (sample sd), or n/a. */
function pooled(values: readonly (number | undefined)[]): string {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (finite.length === 0) return 'n/a';
  const { mean, sd } = meanSd(finite);
  return `${f(mean)} ± ${f(sd)}`;
}

/**
 * Mean ± sample sd over seeds of the headline numbers, for runs that differ only in
 * their seed. Returns undefined when no group has more than one seed.
 */
export function seedSummaryTable(runs: readonly RunAnalysis[]): string | undefined {
  const groups = new Map<string, RunAnalysis[]>();
  for (const r of runs) groups.set(seedGroup(r.name), [...(groups.get(seedGroup(r.name)) ?? []), r]);
  if (![...groups.values()].some((g) => g.length > 1)) return undefined;
  const rows = [...groups].map(([name, g]) => [
    name,
    g.length,
    pooled(g.map((r) => r.efficiency.tokenAccuracy)),
    pooled(g.map((r) => r.efficiency.meanDepth)),
    pooled(g.map((r) => r.alignment?.exitDepth.spearman.statistic)),
    pooled(g.map((r) => r.timing?.r2Static)),
    pooled(g.map((r) => r.timing?.r2Dynamic)),
    pooled(g.map((r) => r.timing?.uniqueStatic)),
    pooled(g.map((r) => r.timing?.uniqueDynamic)),
    pooled(g.map((r) => (r.timing ? sizeR2(r.timing) : undefined))),
  ]);
  return md(['runs (seeds pooled)', 'seeds', 'tok acc', 'mean depth', 'Spearman ρ', 'R² static', 'R² dynamic', 'unique static', 'unique dynamic', 'R² size alone'], rows);
}

/**
 * The paper's three tables over a set of run folders, as Markdown, one row per run:
 *  - alignment: accuracy (held-out, marked "not learned" below 0.95), mean depth,
 *    Spearman between exit depth and difficulty with its cluster-bootstrap 95% CI,
 *    the partial Spearman controlling position (and size where it varies), the R² of
 *    depth on position alone, the within-position (stratified) Spearman, Kendall;
 *  - generalization: accuracy and depth per input size and inference T_max;
 *  - decision timing: R² of depth on static / position / dynamic features with the
 *    three-group commonality (unique, shared, Shapley), R² of size alone in both
 *    encodings (number, category), the largest drop-one ΔR², the label proxies left
 *    out (and the Shapley shares with them in) and the groups' collinearity.
 * Position is the answer step, categorical, wherever it is a control.
 * An undefined analysis is said in words, never printed as NaN.
 */
import { AniraInputError } from '@anira/tasks/errors';
import {
  alignment,
  decisionTiming,
  declaredFeatureSets,
  efficiency,
  generalization,
  type AlignmentResult,
  type CorrelationWithCI,
  type DecisionTimingResult,
  type EfficiencyResult,
  type FeatureSets,
  type Trace,
} from '@anira/metrics';

export interface RunTraces {
  readonly name: string;
  readonly traces: readonly Trace[];
  /** The analysis set's in-distribution token accuracy (summary.json `analysis`), when known; never the selection set's. */
  readonly heldOutAccuracy?: number | null;
}

/** The analyses of one run's main trace, computed once and shared by every table. */
export interface RunAnalysis extends RunTraces {
  readonly main: Trace;
  readonly efficiency: EfficiencyResult;
  /** Absent when the trace is too small for a correlation (then `alignmentError` says why). */
  readonly alignment?: AlignmentResult;
  readonly alignmentError?: string;
  /** Decision timing without label proxies (the default). */
  readonly timing?: DecisionTimingResult;
  /** The same with the proxies in their groups, when the trace declares any. */
  readonly timingWithProxies?: DecisionTimingResult;
  readonly timingError?: string;
}

/** In-distribution token accuracy of a run's main trace (the analysis set), or null without such tokens. */
export function analysisAccuracy(main: Trace | undefined): number | null {
  if (!main) return null;
  const inDist = generalization([main]).splits.find((x) => x.split === 'in');
  return inDist && inDist.tokens > 0 ? inDist.tokenAccuracy : null;
}

/**
 * Held-out accuracy below this marks a run "not learned": its alignment describes a
 * model that has not learned the task. The science v3 rule (docs/results.md, section 0):
 * analysis-set token accuracy >= 0.95.
 */
export const LEARNED_ACCURACY = 0.95;

/** The first line of an input error (data too small to analyse); a bug is rethrown. */
const firstLine = (e: unknown): string => {
  if (!AniraInputError.isInstance(e)) throw e;
  return e.message.split('\n')[0]!;
};

/** Each run's analyses; decision timing also drops and fits each feature set the run's trace declares. */
export function analyseRuns(runs: readonly RunTraces[], resamples: number, seed: number, featureSets: FeatureSets = {}): RunAnalysis[] {
  return runs.map((run) => {
    const main = run.traces[0]!;
    const sets = declaredFeatureSets(main, featureSets);
    let align: AlignmentResult | undefined;
    let alignmentError: string | undefined;
    try {
      align = alignment(main, { resamples, seed });
    } catch (e) {
      alignmentError = firstLine(e);
    }
    let timing: DecisionTimingResult | undefined;
    let timingWithProxies: DecisionTimingResult | undefined;
    let timingError: string | undefined;
    try {
      timing = decisionTiming(main, Object.keys(sets).length > 0 ? { featureSets: sets } : {});
      if (timing.proxies.length > 0) timingWithProxies = decisionTiming(main, { proxies: 'include' });
    } catch (e) {
      timingError = firstLine(e);
    }
    return {
      ...run,
      main,
      efficiency: efficiency(main),
      ...(align ? { alignment: align } : {}),
      ...(alignmentError !== undefined ? { alignmentError } : {}),
      ...(timing ? { timing } : {}),
      ...(timingWithProxies ? { timingWithProxies } : {}),
      ...(timingError !== undefined ? { timingError } : {}),
    };
  });
}

/** A number with `d` decimals (-0.000 as 0.000), or n/a when missing or not finite. */
export const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d));
export const md = (headers: string[], rows: (string | number)[][]) =>
  [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** "0.512 [0.401, 0.600]", or n/a when the statistic is undefined. */
const withCI = (c: CorrelationWithCI) => (Number.isFinite(c.statistic) ? `${f(c.statistic)} [${f(c.ci.lower)}, ${f(c.ci.upper)}]` : 'n/a');

/** Held-out accuracy with the "not learned" marker. */
export function heldOutCell(acc: number | null | undefined): string {
  if (acc === null || acc === undefined || !Number.isFinite(acc)) return 'n/a';
  return acc < LEARNED_ACCURACY ? `${f(acc)} (not learned)` : f(acc);
}

/** The single-feature R² of size as a number and as a category (NaN when sizes do not vary). */
export const sizeR2 = (d: DecisionTimingResult, encoding: 'number' | 'category') => d.perFeature.find((x) => x.name === `size (${encoding})`)?.r2;

/** Total R² shared by two or more groups (r2.all minus the unique parts). */
export const sharedR2 = (d: DecisionTimingResult) => {
  const s = d.threeWay.shared;
  return s.staticPosition + s.staticDynamic + s.positionDynamic + s.all;
};

/** The drop-one feature whose removal costs the most R², e.g. "carry (dynamic) 0.210". */
export function topDropOne(d: DecisionTimingResult): string {
  const finite = d.dropOne.filter((x) => Number.isFinite(x.deltaR2));
  if (finite.length === 0) return 'n/a';
  const top = finite.reduce((a, b) => (b.deltaR2 > a.deltaR2 ? b : a));
  return `${top.name} (${top.group}) ${f(top.deltaR2)}`;
}

/** Run name with its `seed=N` grid value removed (the group of seeds it belongs to). */
export function seedGroup(name: string): string {
  return name.replace(/(^|[,/])seed=\d+(,|$)/, (_m, a: string, b: string) => (a === '/' || a === '' ? a : b === ',' ? ',' : '')).replace(/[,/]$/, '');
}

export function alignmentTable(runs: readonly RunAnalysis[]): string {
  const rows = runs.map(({ name, main, efficiency: e, alignment: a, alignmentError, heldOutAccuracy }) => {
    const head = [name, main.header.task, main.header.policy, e.tokens, heldOutCell(heldOutAccuracy), f(e.tokenAccuracy), f(e.exactMatch), f(e.meanDepth, 2), f(e.depthFraction)];
    if (!a) return [...head, `n/a (${alignmentError ?? 'no alignment'})`, 'n/a', 'n/a', 'n/a', 'n/a'];
    const partial = Number.isFinite(a.partial.exitDepth.statistic) ? `${withCI(a.partial.exitDepth)} given ${a.partial.covariates.join(', ')}` : 'n/a';
    const stratified = Number.isFinite(a.stratified.spearman) ? `${f(a.stratified.spearman)} (${a.stratified.positions})` : 'n/a';
    const rho = a.undefinedReason ?? withCI(a.exitDepth.spearman);
    return [...head, rho, partial, f(a.positionBaseline.depthR2), stratified, withCI(a.exitDepth.kendall)];
  });
  return md(
    ['run', 'task', 'policy', 'tokens', 'analysis acc', 'tok acc', 'exact', 'mean depth', 'depth/T', 'Spearman ρ [95% CI]', 'partial ρ [95% CI] given (cells)', 'R² depth ~ answer step alone (one-hot)', 'ρ within (size, answer step) cells (cells)', 'Kendall τ-b [95% CI]'],
    rows,
  );
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
  const rows = runs.map(({ name, main, timing: d, timingWithProxies: w, timingError }) => {
    if (!d) return [name, main.header.policy, '-', `n/a (${timingError ?? ''})`, ...Array<string>(18).fill('')];
    const t = d.threeWay;
    return [
      name, d.policy, d.tokens,
      f(t.r2.static), f(t.r2.position), f(t.r2.dynamic), f(t.r2.all),
      f(t.unique.static), f(t.unique.position), f(t.unique.dynamic), f(sharedR2(d)),
      f(t.shapley.static), f(t.shapley.position), f(t.shapley.dynamic),
      f(sizeR2(d, 'number')), f(sizeR2(d, 'category')), topDropOne(d),
      d.proxies.join(', ') || '-', w ? `${f(w.threeWay.shapley.static)} / ${f(w.threeWay.shapley.dynamic)}` : '-',
      f(d.collinearity.staticPosition), f(d.collinearity.staticDynamic),
    ];
  });
  return md(
    ['run', 'policy', 'tokens', 'R² static', 'R² position group', 'R² dynamic', 'R² all', 'unique static', 'unique position', 'unique dynamic', 'shared', 'Shapley static', 'Shapley position', 'Shapley dynamic', 'R² size (number)', 'R² size (category)', 'top drop-one ΔR²', 'label proxies excluded', 'with proxies: Shapley static / dynamic', 'corr(fit static, fit position)', 'corr(fit static, fit dynamic)'],
    rows,
  );
}

/**
 * The paper's three tables over a set of run folders, as Markdown: alignment
 * (accuracy, mean depth, Spearman / Kendall between exit depth and difficulty with
 * cluster-bootstrap 95% CIs), generalization (accuracy and depth per input size and
 * inference T_max), and decision timing (R² of depth on static vs dynamic features
 * with the commonality decomposition).
 */
import { alignment, decisionTiming, efficiency, generalization, type Trace } from '@anira/metrics';

export interface RunTraces {
  readonly name: string;
  readonly traces: readonly Trace[];
}

const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d));
const md = (headers: string[], rows: (string | number)[][]) =>
  [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function alignmentTable(runs: readonly RunTraces[], resamples: number, seed: number): string {
  const rows = runs.map(({ name, traces }) => {
    const t = traces[0]!;
    const e = efficiency(t);
    let rho = 'n/a';
    let tau = 'n/a';
    try {
      const a = alignment(t, { resamples, seed }).exitDepth;
      rho = `${f(a.spearman.statistic)} [${f(a.spearman.ci.lower)}, ${f(a.spearman.ci.upper)}]`;
      tau = `${f(a.kendall.statistic)} [${f(a.kendall.ci.lower)}, ${f(a.kendall.ci.upper)}]`;
    } catch {
      // constant depth or too few tokens: no correlation
    }
    return [name, t.header.task, t.header.policy, e.tokens, f(e.tokenAccuracy), f(e.exactMatch), f(e.meanDepth, 2), f(e.depthFraction), rho, tau];
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

export function decisionTimingTable(runs: readonly RunTraces[]): string {
  const rows = runs.map(({ name, traces }) => {
    try {
      const d = decisionTiming(traces[0]!);
      const size = d.perFeature.find((x) => x.name === 'size')?.r2;
      return [name, d.policy, d.tokens, f(d.r2Static), f(d.r2Dynamic), f(d.r2Both), f(d.uniqueStatic), f(d.uniqueDynamic), f(d.shared), f(size)];
    } catch (e) {
      return [name, traces[0]!.header.policy, '-', `n/a (${(e as Error).message.split('\n')[0]})`, '', '', '', '', '', ''];
    }
  });
  return md(['run', 'policy', 'tokens', 'R² static', 'R² dynamic', 'R² both', 'unique static', 'unique dynamic', 'shared', 'R² size alone'], rows);
}

/** Run name with its `seed=N` grid value removed (the group of seeds it belongs to). */
export function seedGroup(name: string): string {
  return name.replace(/(^|[,/])seed=\d+(,|$)/, (_m, a: string, b: string) => (a === '/' || a === '' ? a : b === ',' ? ',' : '')).replace(/,$/, '');
}

const meanSd = (xs: number[]) => {
  const v = xs.filter(Number.isFinite);
  if (v.length === 0) return 'n/a';
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : Number.NaN;
  return `${f(m)} ± ${f(sd)}`;
};

/**
 * Mean ± sample sd over seeds of the headline numbers, for runs that differ only in
 * their seed. Returns undefined when no group has more than one seed.
 */
export function seedSummaryTable(runs: readonly RunTraces[]): string | undefined {
  const groups = new Map<string, RunTraces[]>();
  for (const r of runs) groups.set(seedGroup(r.name), [...(groups.get(seedGroup(r.name)) ?? []), r]);
  if (![...groups.values()].some((g) => g.length > 1)) return undefined;
  const rows = [...groups].map(([name, g]) => {
    const pick = (fn: (t: Trace) => number) =>
      g.map((r) => {
        try {
          return fn(r.traces[0]!);
        } catch {
          return Number.NaN;
        }
      });
    const dt = g.map((r) => {
      try {
        return decisionTiming(r.traces[0]!);
      } catch {
        return undefined;
      }
    });
    const d = (fn: (x: ReturnType<typeof decisionTiming>) => number) => dt.map((x) => (x ? fn(x) : Number.NaN));
    return [
      name,
      g.length,
      meanSd(pick((t) => efficiency(t).tokenAccuracy)),
      meanSd(pick((t) => efficiency(t).meanDepth)),
      meanSd(pick((t) => alignment(t, { resamples: 1 }).exitDepth.spearman.statistic)),
      meanSd(d((x) => x.r2Static)),
      meanSd(d((x) => x.r2Dynamic)),
      meanSd(d((x) => x.uniqueStatic)),
      meanSd(d((x) => x.uniqueDynamic)),
      meanSd(d((x) => x.perFeature.find((p) => p.name === 'size')?.r2 ?? Number.NaN)),
    ];
  });
  return md(['runs (seeds pooled)', 'seeds', 'tok acc', 'mean depth', 'Spearman ρ', 'R² static', 'R² dynamic', 'unique static', 'unique dynamic', 'R² size alone'], rows);
}

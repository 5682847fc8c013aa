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

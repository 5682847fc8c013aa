/**
 * Seed-level numbers for runs of a sweep that differ only in their seed (their names
 * are equal once the `seed=N` grid value is removed): every headline number of
 * tables.ts as mean ± sample sd with its 95% t-interval over seeds (per-run CIs carry
 * no training-seed variance and stay in the per-run tables), and, for every two seed
 * groups that differ in one grid value (e.g. the policy), the difference of each
 * headline number with Welch's 95% interval, whether they differ, and the seeds per
 * group a two-sample t test needs for 80% power at the observed difference.
 */
import { seedsForPower, tInterval, welchDifference } from '@anira/metrics/stats';
import { f, LEARNED_ACCURACY, md, seedGroup, sharedR2, sizeR2, type RunAnalysis } from './tables.js';

const finiteOf = (values: readonly (number | null | undefined)[]) => values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** "mean ± sd [t-interval]" over the finite values, "(k of n)" when some are undefined, or n/a. */
export function pooled(values: readonly (number | null | undefined)[]): string {
  const finite = finiteOf(values);
  if (finite.length === 0) return 'n/a';
  const t = tInterval(finite);
  const text = finite.length > 1 ? `${f(t.mean)} ± ${f(t.sd)} [${f(t.lower)}, ${f(t.upper)}]` : `${f(t.mean)} (1 seed)`;
  return finite.length < values.length ? `${text} (${finite.length} of ${values.length})` : text;
}

/** Groups of runs by seed group, in first-seen order; undefined when no group has two seeds. */
function seedGroups(runs: readonly RunAnalysis[]): Map<string, RunAnalysis[]> | undefined {
  const groups = new Map<string, RunAnalysis[]>();
  for (const r of runs) groups.set(seedGroup(r.name), [...(groups.get(seedGroup(r.name)) ?? []), r]);
  return [...groups.values()].some((g) => g.length > 1) ? groups : undefined;
}

/** Held-out accuracy pooled, with how many seeds did not learn the task. */
function heldOutPooled(g: readonly RunAnalysis[]): string {
  const text = pooled(g.map((r) => r.heldOutAccuracy));
  const failed = g.filter((r) => typeof r.heldOutAccuracy === 'number' && r.heldOutAccuracy < LEARNED_ACCURACY).length;
  return failed > 0 ? `${text} (${failed} not learned)` : text;
}

/** Alignment over seeds; undefined when no group has more than one seed. */
export function seedSummaryTable(runs: readonly RunAnalysis[]): string | undefined {
  const groups = seedGroups(runs);
  if (!groups) return undefined;
  const rows = [...groups].map(([name, g]) => [
    name,
    g.length,
    heldOutPooled(g),
    pooled(g.map((r) => r.efficiency.tokenAccuracy)),
    pooled(g.map((r) => r.efficiency.meanDepth)),
    pooled(g.map((r) => r.alignment?.exitDepth.spearman.statistic)),
    pooled(g.map((r) => r.alignment?.partial.exitDepth.statistic)),
    pooled(g.map((r) => r.alignment?.positionBaseline.depthR2)),
    pooled(g.map((r) => r.alignment?.stratified.spearman)),
  ]);
  return md(['runs (seeds pooled; mean ± sd [95% t-interval over seeds])', 'seeds', 'analysis acc', 'tok acc', 'mean depth', 'Spearman ρ', 'partial ρ', 'R² depth ~ answer step alone', 'ρ within (size, step) cells'], rows);
}

/** Decision timing over seeds; undefined when no group has more than one seed. */
export function seedTimingTable(runs: readonly RunAnalysis[]): string | undefined {
  const groups = seedGroups(runs);
  if (!groups) return undefined;
  const rows = [...groups].map(([name, g]) => {
    const t = (pick: (r: NonNullable<RunAnalysis['timing']>) => number) => pooled(g.map((r) => (r.timing ? pick(r.timing) : undefined)));
    return [
      name, g.length,
      t((d) => d.threeWay.r2.all),
      t((d) => d.threeWay.unique.static), t((d) => d.threeWay.unique.position), t((d) => d.threeWay.unique.dynamic), t(sharedR2),
      t((d) => d.threeWay.shapley.static), t((d) => d.threeWay.shapley.position), t((d) => d.threeWay.shapley.dynamic),
      t((d) => sizeR2(d, 'number') ?? Number.NaN), t((d) => sizeR2(d, 'category') ?? Number.NaN),
    ];
  });
  return md(['runs (seeds pooled; mean ± sd [95% t-interval over seeds])', 'seeds', 'R² all', 'unique static', 'unique position', 'unique dynamic', 'shared', 'Shapley static', 'Shapley position', 'Shapley dynamic', 'R² size (number)', 'R² size (category)'], rows);
}

/** The headline numbers compared between seed groups. */
const HEADLINES: readonly [string, (r: RunAnalysis) => number | undefined][] = [
  ['partial ρ', (r) => r.alignment?.partial.exitDepth.statistic],
  ['Shapley static', (r) => r.timing?.threeWay.shapley.static],
  ['Shapley position', (r) => r.timing?.threeWay.shapley.position],
  ['Shapley dynamic', (r) => r.timing?.threeWay.shapley.dynamic],
];

/** The one grid value (`key=value`) in which two group names differ, or undefined. */
function oneDifference(a: string, b: string): [string, string] | undefined {
  const split = (n: string) => {
    const slash = n.indexOf('/');
    return { prefix: n.slice(0, slash + 1), parts: n.slice(slash + 1).split(',') };
  };
  const A = split(a), B = split(b);
  if (A.prefix !== B.prefix || A.parts.length !== B.parts.length) return undefined;
  const diff = A.parts.map((p, i) => [p, B.parts[i]!] as const).filter(([x, y]) => x !== y);
  if (diff.length !== 1) return undefined;
  const [x, y] = diff[0]!;
  return x.split('=')[0] === y.split('=')[0] ? [x, y] : undefined;
}

/**
 * Differ / do not differ, with power: for every two seed groups that differ in one grid
 * value, each headline number's difference with Welch's 95% interval over seeds, the
 * verdict (differ when the interval excludes 0) and the seeds per group needed for 80%
 * power at the observed difference. Undefined when no two groups qualify.
 */
export function seedComparisonTable(runs: readonly RunAnalysis[]): string | undefined {
  const groups = seedGroups(runs);
  if (!groups) return undefined;
  const names = [...groups.keys()];
  const rows: (string | number)[][] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const d = oneDifference(names[i]!, names[j]!);
      if (!d) continue;
      const context = names[i]!.split('/')[1]!.split(',').filter((p) => p !== d[0]).join(',');
      for (const [metric, pick] of HEADLINES) {
        const a = finiteOf(groups.get(names[i]!)!.map(pick)), b = finiteOf(groups.get(names[j]!)!.map(pick));
        if (a.length < 2 || b.length < 2) continue;
        const w = welchDifference(a, b);
        const differ = w.lower > 0 || w.upper < 0;
        const need = seedsForPower(w.difference, w.pooledSd);
        rows.push([
          `${d[0]} vs ${d[1]}${context ? ` (${context})` : ''}`, metric, `${a.length} / ${b.length}`, f(w.difference), `[${f(w.lower)}, ${f(w.upper)}]`,
          Number.isFinite(w.lower) ? (differ ? 'differ' : 'not detected') : 'n/a', Number.isFinite(need) ? need : 'no finite number',
        ]);
      }
    }
  }
  if (rows.length === 0) return undefined;
  return md(['comparison', 'number', 'seeds', 'difference', '95% Welch interval over seeds', 'verdict', 'seeds per group for 80% power at this difference'], rows);
}

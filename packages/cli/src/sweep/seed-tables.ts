/**
 * Mean ± sample sd over seeds, for runs of a sweep that differ only in their seed
 * (their names are equal once the `seed=N` grid value is removed): the alignment
 * numbers and the decision-timing shares of tables.ts, pooled.
 */
import { meanSd } from '@anira/metrics';
import { f, LEARNED_ACCURACY, md, seedGroup, sharedR2, sizeR2, type RunAnalysis } from './tables.js';

/** "mean ± sd" over the finite values (sample sd), "(k of n)" when some are undefined, or n/a. */
export function pooled(values: readonly (number | null | undefined)[]): string {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return 'n/a';
  const { mean, sd } = meanSd(finite);
  const text = `${f(mean)} ± ${f(sd)}`;
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
  return md(['runs (seeds pooled)', 'seeds', 'analysis acc', 'tok acc', 'mean depth', 'Spearman ρ', 'partial ρ', 'R² depth ~ answer step alone', 'ρ within (size, step) cells'], rows);
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
  return md(['runs (seeds pooled)', 'seeds', 'R² all', 'unique static', 'unique position', 'unique dynamic', 'shared', 'Shapley static', 'Shapley position', 'Shapley dynamic', 'R² size (number)', 'R² size (category)'], rows);
}

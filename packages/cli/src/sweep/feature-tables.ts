/**
 * Decision timing per feature, over seeds: for every group of runs that differ only in
 * their seed, each explaining feature's drop-one ΔR² (R² lost when it leaves the full
 * model) and its R² alone, as mean ± sd [95% t-interval over seeds]; then each named
 * feature set (`--feature-set`), dropped and fitted as a whole. Drop-one understates
 * features that share information (two hub features each cost little alone); a set
 * answers "what does this kind of cue carry" in one number.
 */
import type { DecisionTimingResult } from '@anira/metrics';
import { pooled } from './seed-tables.js';
import { md, seedGroup, type RunAnalysis } from './tables.js';

/** Rows per seed group and feature (then feature set); undefined when no run has decision timing. */
export function featureTable(runs: readonly RunAnalysis[]): string | undefined {
  const groups = new Map<string, DecisionTimingResult[]>();
  for (const r of runs) if (r.timing) groups.set(seedGroup(r.name), [...(groups.get(seedGroup(r.name)) ?? []), r.timing]);
  if (groups.size === 0) return undefined;
  const rows: (string | number)[][] = [];
  for (const [name, g] of groups) {
    const features = [...new Set(g.flatMap((d) => d.dropOne.map((x) => `${x.name} (${x.group})`)))];
    for (const label of features) {
      const of = (d: DecisionTimingResult) => d.dropOne.find((x) => `${x.name} (${x.group})` === label);
      const alone = (d: DecisionTimingResult) => d.perFeature.find((x) => `${x.name} (${x.group})` === label || (x.name === 'size (category)' && label === 'size (static)'));
      rows.push([name, g.length, label, pooled(g.map((r) => of(r)?.deltaR2)), pooled(g.map((r) => alone(r)?.r2))]);
    }
    const sets = [...new Set(g.flatMap((d) => d.featureSets.map((s) => s.name)))];
    for (const set of sets) {
      const of = (d: DecisionTimingResult) => d.featureSets.find((s) => s.name === set);
      const members = [...new Set(g.flatMap((r) => of(r)?.features ?? []))];
      const left = [...new Set(g.flatMap((r) => of(r)?.leftOut ?? []))];
      const label = `set "${set}": ${members.join(', ') || 'none in the model'}${left.length ? ` (left out: ${left.join(', ')})` : ''}`;
      rows.push([name, g.length, label, pooled(g.map((r) => of(r)?.deltaR2)), pooled(g.map((r) => of(r)?.r2Alone))]);
    }
  }
  return md(['runs (seeds pooled)', 'seeds', 'feature (group)', 'ΔR² when dropped, mean ± sd [95% t-interval]', 'R² alone, mean ± sd [95% t-interval]'], rows);
}

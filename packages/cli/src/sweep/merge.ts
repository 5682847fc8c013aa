/**
 * `anira sweep merge`: gather the finished runs of one or more sweep (shard) folders
 * into one results table (CSV and Markdown) and one side-by-side report.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable } from '@anira/metrics';
import { runFiles } from '../experiment/run-dir.js';
import { loadReportRun, writeReportRuns } from '../experiment/report.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { alignmentTable, analyseRuns, decisionTimingTable, generalizationTable, seedSummaryTable } from './tables.js';

interface Summary {
  name: string;
  task: string;
  policy: string;
  steps: number;
  heldOut: { accuracy: number; meanDepth: number } | null;
  eval: { tMax: number; tokenAccuracy: number; exactMatch: number; meanDepth: number; depthFraction: number; flopsRatio: number }[];
  spearman: number | null;
  kendall: number | null;
}

/** Run folders (holding summary.json) at most two levels below each root. */
export function findRuns(roots: readonly string[]): string[] {
  const out = new Set<string>();
  const visit = (dir: string, depth: number) => {
    if (existsSync(runFiles(dir).summary)) {
      out.add(dir);
      return;
    }
    if (depth === 0 || !existsSync(dir) || !statSync(dir).isDirectory()) return;
    for (const f of readdirSync(dir).sort()) visit(join(dir, f), depth - 1);
  };
  for (const r of roots) visit(r, 2);
  return [...out];
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export async function mergeSweeps(roots: readonly string[], out: string, withReport = true): Promise<{ table: string; runs: number }> {
  const dirs = findRuns(roots);
  if (dirs.length === 0) throw new Error(`sweep merge: no finished runs (folders with summary.json) under ${roots.join(', ')}`);
  const headers = ['run', 'task', 'policy', 'steps', 'held-out acc', 'eval acc', 'exact', 'depth', 'depth/T', 'spearman', 'kendall'];
  const summaries = dirs.map((d) => JSON.parse(readFileSync(runFiles(d).summary, 'utf8')) as Summary);
  const rows = summaries.map((s) => {
    const e = s.eval[0];
    return [s.name, s.task, s.policy, s.steps, s.heldOut?.accuracy ?? null, e?.tokenAccuracy ?? null, e?.exactMatch ?? null, e?.meanDepth ?? null, e?.depthFraction ?? null, s.spearman, s.kendall];
  });
  const table = formatTable(headers, rows);
  writeFileAtomic(join(out, 'results.csv'), [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
  writeFileAtomic(join(out, 'results.txt'), table + '\n');
  // traces are read once and serve both the tables and the report
  const reportRuns = dirs.map(loadReportRun);
  const runs = analyseRuns(
    summaries.map((s, i) => ({ name: s.name, traces: reportRuns[i]!.traces })),
    1000,
    0,
  );
  const sections = [
    '## Alignment: exit depth vs difficulty (cluster-bootstrap 95% CIs over examples, 1000 resamples)',
    alignmentTable(runs),
    '## Generalization: accuracy and depth per input size and inference T_max',
    generalizationTable(runs),
    '## Decision timing: R² of exit depth on static vs dynamic features (commonality analysis)',
    decisionTimingTable(runs),
  ];
  const seeds = seedSummaryTable(runs);
  if (seeds) sections.push('## Over seeds: mean ± sample sd of runs that differ only in their seed', seeds);
  writeFileAtomic(join(out, 'results.md'), sections.join('\n\n') + '\n');
  if (withReport) await writeReportRuns(reportRuns, join(out, 'report'));
  return { table, runs: dirs.length };
}

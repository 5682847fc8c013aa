/**
 * `anira sweep merge`: gather the finished runs of one or more sweep (shard) folders
 * into one results table (CSV and Markdown) and one side-by-side report.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { declaredFeatureSets, formatTable, type FeatureSets } from '@anira/metrics';
import { RunFolder } from '../experiment/run-folder.js';
import { loadReportRun, renderReportRuns, writeRenderedReport } from '../experiment/report.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { pathError } from '@anira/tasks/errors';
import { prefixed, UsageError } from '../errors.js';
import { alignmentTable, analysisAccuracy, analyseRuns, decisionTimingTable, generalizationTable, LEARNED_ACCURACY } from './tables.js';
import { featureTable } from './feature-tables.js';
import { staleTraceNotes } from '../experiment/trace-notes.js';
import { seedComparisonTable, seedSummaryTable, seedTimingTable } from './seed-tables.js';

const num = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const nullableNum = z.union([num, z.null()]);

/** The fields of `summary.json` that the merge reads (others are ignored). */
const summarySchema = z.object({
  name: z.string().min(1),
  task: z.string().min(1),
  policy: z.string().min(1),
  steps: z.number().int().min(0),
  /** The update whose weights the run holds now (absent in summaries written before it existed). */
  weightsStep: z.number().int().min(0).optional(),
  heldOut: z.union([z.object({ accuracy: num, meanDepth: num }), z.null()]),
  /** The analysis set's in-distribution accuracy (absent in summaries written before the three disjoint sets). */
  analysis: z.union([z.object({ accuracy: num }), z.null()]).optional(),
  splits: z.object({ overlap: z.object({ selectionInTraining: num, analysisInTraining: num, analysisInSelection: num }) }).optional(),
  eval: z.array(z.object({ tMax: num, tokenAccuracy: num, exactMatch: num, meanDepth: num, depthFraction: num, flopsRatio: num })),
  spearman: nullableNum,
  kendall: nullableNum,
});

type Summary = z.infer<typeof summarySchema>;

/** Read and validate one run's summary.json; a one-line usage error names the file and the field. */
export function readSummary(folder: RunFolder): Summary {
  const file = folder.summary;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw prefixed('sweep merge', pathError(file, e));
    throw new UsageError(`sweep merge: ${file}: not valid JSON (${e.message.split('\n')[0]!})`, { code: 'invalid-file' });
  }
  const r = summarySchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new UsageError(`sweep merge: ${file}: "${issue.path.join('.') || '(root)'}": ${issue.message}`);
}

/** Run folders (holding summary.json) at most two levels below each root. */
export function findRuns(roots: readonly string[]): RunFolder[] {
  const out = new Map<string, RunFolder>();
  const visit = (dir: string, depth: number) => {
    const folder = new RunFolder(dir);
    if (existsSync(folder.summary)) {
      out.set(dir, folder);
      return;
    }
    if (depth === 0 || !existsSync(dir) || !statSync(dir).isDirectory()) return;
    for (const f of readdirSync(dir).sort()) visit(join(dir, f), depth - 1);
  };
  for (const r of roots) visit(r, 2);
  return [...out.values()];
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Options of mergeSweeps: the HTML report (default on) and named decision-timing feature sets. */
export interface MergeOptions {
  readonly report?: boolean;
  readonly featureSets?: FeatureSets;
}

export async function mergeSweeps(roots: readonly string[], out: string, options: MergeOptions = {}): Promise<{ table: string; runs: number }> {
  const withReport = options.report ?? true;
  const featureSets = options.featureSets ?? {};
  const folders = findRuns(roots);
  if (folders.length === 0) throw new UsageError(`sweep merge: no finished runs (folders with summary.json) under ${roots.join(', ')}`);
  // every input is read and validated before anything is written
  const summaries = folders.map(readSummary);
  // traces are read once and serve both the tables and the report
  const reportRuns = folders.map(loadReportRun);
  // a trace of weights the run no longer holds would be read as the run's: refused
  const stale = reportRuns.flatMap((run, i) => {
    const folder = folders[i], summary = summaries[i];
    return folder && summary ? staleTraceNotes(run.traces, folder.traceFiles(), summary.weightsStep, folder.dir) : [];
  });
  const [first, ...more] = stale;
  if (first !== undefined) throw new UsageError(`sweep merge: ${first}${more.length > 0 ? ` (and ${more.length} more stale trace${more.length > 1 ? 's' : ''})` : ''}`);
  for (const [name, features] of Object.entries(featureSets)) {
    if (!reportRuns.some((r) => r.traces[0] && name in declaredFeatureSets(r.traces[0], { [name]: features }))) {
      throw new UsageError(`sweep merge: --feature-set "${name}": no run's trace declares all of ${features.join(', ')}`);
    }
  }
  const headers = ['run', 'task', 'policy', 'steps', 'selection acc', 'analysis acc (in-dist)', 'eval acc (all sizes)', 'exact', 'depth', 'depth/T', 'spearman', 'kendall', 'shared inputs'];
  const rows = summaries.map((s) => {
    const e = s.eval[0];
    const o = s.splits?.overlap;
    const shared = o ? o.selectionInTraining + o.analysisInTraining + o.analysisInSelection : null;
    return [s.name, s.task, s.policy, s.steps, s.heldOut?.accuracy ?? null, s.analysis?.accuracy ?? null, e?.tokenAccuracy ?? null, e?.exactMatch ?? null, e?.meanDepth ?? null, e?.depthFraction ?? null, s.spearman, s.kendall, shared];
  });
  const table = formatTable(headers, rows);
  const runs = analyseRuns(
    summaries.map((s, i) => ({ name: s.name, traces: reportRuns[i]!.traces, heldOutAccuracy: s.analysis?.accuracy ?? analysisAccuracy(reportRuns[i]!.traces[0]) })),
    1000,
    0,
    featureSets,
  );
  const sections = [
    '## Alignment: exit depth vs difficulty (cluster-bootstrap 95% CIs over examples, 1000 resamples)',
    `Position is the answer step (index among the example's target tokens), categorical. Partial ρ: Spearman of depth and difficulty with ranks centred within each (answer step, size) cell. R² depth ~ answer step alone (one-hot): how much any position-driven schedule would explain. ρ within cells: token-weighted mean of Spearman within (size, answer step) cells of >= 20 tokens (number of cells used). Analysis acc: the analysis set's in-distribution token accuracy; below ${LEARNED_ACCURACY} it is marked "not learned".`,
    alignmentTable(runs),
    '## Generalization: accuracy and depth per input size and inference T_max',
    generalizationTable(runs),
    '## Decision timing: R² of exit depth on static / position / dynamic features (three-group commonality analysis)',
    'Unique: R² lost when the group is left out; shared: R² no group explains alone; Shapley: each group\'s average marginal R² (the three sum to R² all). The position group is the answer step, one-hot (not the linear "R² depth ~ position" of older tables). Label proxies (docs/metrics.md) are left out of the groups; the Shapley shares with them in are given beside. corr(fit …): Pearson correlation of two groups\' fitted values (collinearity). Size alone as a number (linear) and as a category. Top drop-one: the feature whose removal costs the most R².',
    decisionTimingTable(runs),
  ];
  const seeds = seedSummaryTable(runs);
  if (seeds) sections.push('## Over seeds: mean ± sample sd [95% t-interval] of runs that differ only in their seed (the intervals to quote; per-run CIs above carry no training-seed variance)', seeds);
  const seedTiming = seedTimingTable(runs);
  if (seedTiming) sections.push('## Over seeds: decision timing, mean ± sample sd [95% t-interval]', seedTiming);
  const features = featureTable(runs);
  if (features) {
    sections.push(
      '## Decision timing per feature, over seeds',
      'ΔR² when dropped: R² of the full model minus R² without the feature (features that share information each cost little alone). R² alone: depth on that feature only (size as a category). A set (`--feature-set`) is dropped and fitted as a whole. Mean ± sample sd [95% t-interval over seeds].',
      features,
    );
  }
  const comparisons = seedComparisonTable(runs);
  if (comparisons) {
    sections.push(
      '## Differ or not: seed groups that differ in one grid value',
      'Difference of the group means with Welch\'s 95% interval over seeds; "differ" when it excludes 0, else "not detected" (not "the same"). Seeds per group for 80% power: a two-sided two-sample t test at level 0.05 detecting the observed difference with the observed seed sd.',
      comparisons,
    );
  }
  const report = withReport ? await renderReportRuns(reportRuns) : undefined;
  // all inputs are valid and every output is computed: only now is anything written
  writeFileAtomic(join(out, 'results.csv'), [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
  writeFileAtomic(join(out, 'results.txt'), table + '\n');
  writeFileAtomic(join(out, 'results.md'), sections.join('\n\n') + '\n');
  if (report) writeRenderedReport(report, join(out, 'report'));
  return { table, runs: folders.length };
}

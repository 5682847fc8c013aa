/**
 * Write the HTML + SVG report for one or more run folders. One run: into its own
 * `report/` folder; several: side by side into `--out`.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport, type ReportRun } from '@anira/metrics/report';
import { getTask } from '@anira/tasks';
import { loadTraces, readRunConfig } from './load-run.js';
import type { RunFolder } from './run-folder.js';
import { alignmentWarnings, assertAnalysable } from './trace-notes.js';
import { removeStaleTempFiles, writeFileAtomic } from '../fs-atomic.js';
import { inputErrorsIn } from '../errors.js';

type LogEntry = NonNullable<ReportRun['trainingLog']>[number];

/**
 * The training curve of a metrics log: one entry per line with an integer `step` >= 0
 * and a finite `loss` (optional finite `accuracy`, `meanDepth`). Other lines are
 * malformed and skipped (a torn last line from an interrupted run is expected and
 * not counted); `skipped` counts them and `firstSkipped` is the first one's 1-based
 * line number, so a curve never holds NaN.
 */
export function readTrainingLog(path: string): { entries: LogEntry[]; skipped: number; firstSkipped?: number } {
  if (!existsSync(path)) return { entries: [], skipped: 0 };
  const lines = readFileSync(path, 'utf8').split('\n');
  const last = lines.map((l) => l.trim() !== '').lastIndexOf(true);
  const entries: LogEntry[] = [];
  let skipped = 0;
  let firstSkipped: number | undefined;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      e = undefined;
      if (i === last) return; // torn final line
    }
    const r = e !== null && typeof e === 'object' ? (e as Record<string, unknown>) : undefined;
    if (!r || !Number.isSafeInteger(r['step']) || (r['step'] as number) < 0 || !finite(r['loss'])) {
      skipped++;
      firstSkipped ??= i + 1;
      return;
    }
    entries.push({
      step: r['step'] as number,
      loss: r['loss'],
      ...(finite(r['accuracy']) ? { accuracy: r['accuracy'] } : {}),
      ...(finite(r['meanDepth']) ? { meanDepth: r['meanDepth'] } : {}),
    });
  });
  return { entries, skipped, ...(firstSkipped !== undefined ? { firstSkipped } : {}) };
}

const warn = (s: string) => process.stderr.write(`anira: warning: ${s}\n`);

/**
 * A short label for plots: a sweep run named `sweep/task=addition,policy=anira-o`
 * becomes `addition, anira-o`; other runs keep their name.
 */
export function shortLabel(name: string): string {
  const slash = name.indexOf('/');
  if (slash < 0) return name;
  return name
    .slice(slash + 1)
    .split(',')
    .map((kv) => kv.slice(kv.indexOf('=') + 1))
    .join(', ');
}

/** Load what the report shows of one run folder: config label, traces, training log, vocabulary. */
export function loadReportRun(folder: RunFolder): ReportRun {
  const cfg = readRunConfig(folder);
  const label = shortLabel(cfg.name);
  const traces = loadTraces(folder).map((t) => ({
    ...t,
    header: { ...t.header, label: t.header.tMax === t.header.trainTMax ? label : `${label} (T=${t.header.tMax})` },
  }));
  assertAnalysable(traces, folder.traceFiles());
  for (const w of alignmentWarnings(traces, folder.traceFiles())) warn(w);
  const metrics = folder.metrics;
  const { entries: log, skipped, firstSkipped } = readTrainingLog(metrics);
  if (skipped > 0) warn(`${metrics}: skipped ${skipped} malformed line${skipped === 1 ? '' : 's'} (first: line ${firstSkipped}; each needs an integer "step" and a finite "loss")`);
  let vocab: string[] | undefined;
  try {
    vocab = [...getTask(cfg.task.name).vocab.tokens];
  } catch (e) {
    if (!AniraInputError.isInstance(e)) throw e;
    vocab = undefined;
  }
  return { label, traces, trainingLog: log, ...(vocab ? { vocab } : {}) };
}

/** Render loaded runs (nothing written): `index.html` and one SVG per plot. */
export async function renderReportRuns(runs: readonly ReportRun[]): Promise<{ html: string; svgs: Record<string, string> }> {
  return inputErrorsIn('report', () => renderReport(runs));
}

/** Write a rendered report into `target`; returns `target`. */
export function writeRenderedReport(report: { html: string; svgs: Record<string, string> }, target: string): string {
  const removed = removeStaleTempFiles(target); // of a report killed mid-write
  if (removed.length) warn(`removed ${removed.length} temp file(s) left by killed writes in ${target}`);
  for (const [name, svg] of Object.entries(report.svgs)) writeFileAtomic(join(target, name.endsWith('.svg') ? name : `${name}.svg`), svg);
  writeFileAtomic(join(target, 'index.html'), report.html);
  return target;
}

/** Render loaded runs and write `index.html` plus one SVG per plot into `target`. */
export async function writeReportRuns(runs: readonly ReportRun[], target: string): Promise<string> {
  return writeRenderedReport(await renderReportRuns(runs), target);
}

/** Render and write the report of run folders (into `out`, else the first one's `report/`); returns the folder holding index.html. */
export async function writeRunReport(folders: readonly RunFolder[], out?: string): Promise<string> {
  return writeReportRuns(folders.map(loadReportRun), out ?? folders[0]!.report);
}

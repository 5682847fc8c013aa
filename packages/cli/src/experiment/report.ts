/**
 * Write the HTML + SVG report for one or more run folders. One run: into its own
 * `report/` folder; several: side by side into `--out`.
 */
import { join } from 'node:path';
import { renderReport, type ReportRun } from '@anira/metrics';
import { getTask } from '@anira/tasks';
import { loadTraces, readRunConfig } from './load-run.js';
import { readMetricsLog, runFiles } from './run-dir.js';
import { writeFileAtomic } from '../fs-atomic.js';

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
export function loadReportRun(dir: string): ReportRun {
  const cfg = readRunConfig(dir);
  const label = shortLabel(cfg.name);
  const traces = loadTraces(dir).map((t) => ({
    ...t,
    header: { ...t.header, label: t.header.tMax === t.header.trainTMax ? label : `${label} (T=${t.header.tMax})` },
  }));
  const log = readMetricsLog(runFiles(dir).metrics).map((e) => ({
    step: Number(e['step']),
    loss: Number(e['loss']),
    ...(typeof e['accuracy'] === 'number' ? { accuracy: e['accuracy'] } : {}),
    ...(typeof e['meanDepth'] === 'number' ? { meanDepth: e['meanDepth'] } : {}),
  }));
  let vocab: string[] | undefined;
  try {
    vocab = [...getTask(cfg.task.name).vocab.tokens];
  } catch {
    vocab = undefined;
  }
  return { label, traces, trainingLog: log, ...(vocab ? { vocab } : {}) };
}

/** Render loaded runs and write `index.html` plus one SVG per plot into `target`. */
export async function writeReportRuns(runs: readonly ReportRun[], target: string): Promise<string> {
  const { html, svgs } = await renderReport(runs);
  for (const [name, svg] of Object.entries(svgs)) writeFileAtomic(join(target, name.endsWith('.svg') ? name : `${name}.svg`), svg);
  writeFileAtomic(join(target, 'index.html'), html);
  return target;
}

/** Render and write the report of run folders; returns the folder holding index.html. */
export async function writeRunReport(dirs: readonly string[], out?: string): Promise<string> {
  return writeReportRuns(dirs.map(loadReportRun), out ?? runFiles(dirs[0]!).report);
}

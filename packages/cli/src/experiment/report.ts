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

function reportRun(dir: string): ReportRun {
  const cfg = readRunConfig(dir);
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
  return { label: cfg.name, traces: loadTraces(dir), trainingLog: log, ...(vocab ? { vocab } : {}) };
}

/** Render and write; returns the folder holding index.html. */
export async function writeRunReport(dirs: readonly string[], out?: string): Promise<string> {
  const target = out ?? runFiles(dirs[0]!).report;
  const { html, svgs } = await renderReport(dirs.map(reportRun));
  for (const [name, svg] of Object.entries(svgs)) writeFileAtomic(join(target, name.endsWith('.svg') ? name : `${name}.svg`), svg);
  writeFileAtomic(join(target, 'index.html'), html);
  return target;
}

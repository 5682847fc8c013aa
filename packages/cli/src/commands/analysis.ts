/** `anira eval`, `anira analyze` and `anira report` over existing run folders. */
import { Command } from 'commander';
import { formatAnalysis, formatSummaryTable } from '@anira/metrics';
import { backendOption, nativeOption, setupBackend, type BackendChoice } from '../backend.js';
import { featureSet, intIn, intList } from '../parse.js';
import { loadTrainedRun, loadTraces } from '../experiment/load-run.js';
import { evaluateRun } from '../experiment/evaluate-run.js';
import { checkEvalSizes } from '../experiment/eval-sizes.js';
import { writeRunReport } from '../experiment/report.js';
import { inputErrorsIn, UsageError } from '../errors.js';
import { alignmentWarnings, assertAnalysable } from '../experiment/trace-notes.js';
import { RunFolder } from '../experiment/run-folder.js';
import { tracedFields } from '../experiment/summary.js';

export function evalCommand(): Command {
  return new Command('eval')
    .description('Trace a trained run on evaluation sizes (and larger inference T_max), writing trace*.jsonl.')
    .argument('<run-dir>', 'run folder written by `anira train` or `anira run`')
    .option('--sizes <list>', 'size-knob values to evaluate, e.g. 3,4,6', intList('--sizes', 0, 1_000_000))
    .option('--tmax <n>', 'extra inference T_max (may exceed the training T_max)', intIn('--tmax', 1, 1024))
    .option('--examples <n>', 'examples per size', intIn('--examples', 1, 1_000_000))
    .addOption(backendOption())
    .addOption(nativeOption())
    .action(async (dir: string, o: { sizes?: number[]; tmax?: number; examples?: number; backend: BackendChoice }) => {
      const backend = await setupBackend(o.backend);
      if (backend.notice) process.stderr.write(`${backend.notice}\n`);
      const folder = new RunFolder(dir);
      const run = await loadTrainedRun(folder);
      folder.removeStaleTempFiles((line) => process.stderr.write(`${line}\n`)); // of an eval or train killed mid-write
      if (o.sizes) checkEvalSizes(run.setup, run.model.config.maxLength, o.sizes);
      const traces = await evaluateRun(run.cfg, folder, run, {
        ...(o.sizes ? { sizes: o.sizes } : {}),
        ...(o.tmax !== undefined ? { tMax: [o.tmax] } : {}),
        ...(o.examples !== undefined ? { examples: o.examples } : {}),
      });
      // the run's own analysis set traced again: summary.json's traced fields follow (as after `run`)
      if (!o.sizes && o.examples === undefined) updateSummary(folder, run.weightsStep, tracedFields(run.cfg, traces));
      process.stdout.write(`${formatSummaryTable(traces)}\n`);
      run.trainer.dispose();
      run.policy.dispose();
      run.model.dispose();
    });
}

/** Rewrite summary.json's traced fields and weightsStep (atomically); nothing when the run has no summary.json. */
function updateSummary(folder: RunFolder, weightsStep: number, fields: ReturnType<typeof tracedFields>): void {
  let old: unknown;
  try {
    old = folder.readSummary();
  } catch {
    return; // no summary (training never finished) or an unreadable one: merge reports it
  }
  if (typeof old !== 'object' || old === null) return;
  folder.writeSummary({ ...old, weightsStep, ...fields });
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('Print alignment, generalization, decision-timing and efficiency tables for run folders.')
    .argument('<run-dir...>', 'run folders with traces')
    .option('--resamples <n>', 'bootstrap resamples for confidence intervals', intIn('--resamples', 1, 1_000_000), 1000)
    .option('--feature-set <name=a,b,...>', 'decision timing: also drop and fit these features together (repeatable), e.g. "hub structure=hub,hubs,max_degree"', featureSet('--feature-set'))
    .action(async (dirs: string[], o: { resamples: number; featureSet?: Record<string, string[]> }) => {
      for (const dir of dirs) {
        const folder = new RunFolder(dir);
        const traces = loadTraces(folder);
        assertAnalysable(traces, folder.traceFiles());
        for (const w of alignmentWarnings(traces, folder.traceFiles())) process.stderr.write(`anira: warning: ${w}\n`);
        const text = await inputErrorsIn(dir, () => formatAnalysis(traces, { resamples: o.resamples, ...(o.featureSet ? { featureSets: o.featureSet } : {}) }));
        process.stdout.write(`# ${dir}\n${text}\n`);
      }
    });
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Write a self-contained HTML report with SVG plots (several runs: side by side).')
    .argument('<run-dir...>', 'run folders with traces')
    .option('--out <dir>', 'output folder (default: <run-dir>/report for one run; required for several)')
    .action(async (dirs: string[], o: { out?: string }) => {
      if (dirs.length > 1 && !o.out) {
        throw new UsageError('report: --out <dir> is required when comparing several runs');
      }
      const out = await writeRunReport(dirs.map((dir) => new RunFolder(dir)), o.out);
      process.stdout.write(`report: ${out}/index.html\n`);
    });
}

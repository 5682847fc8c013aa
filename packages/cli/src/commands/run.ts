/**
 * `anira run` (and `anira` with no command): the main job. Train, evaluate
 * (in-distribution and larger sizes, training and extended T_max), analyse and
 * report, into one run folder, then print the summary table.
 */
import { Command } from 'commander';
import { formatGeneralization, formatSummaryTable, generalization, type Trace } from '@anira/metrics';
import { setupBackend } from '../backend.js';
import { addExperimentFlags, chooseRunDir, experimentFromFlags, type ExperimentFlags } from '../experiment/flags.js';
import { trainRun } from '../experiment/train-run.js';
import { evaluateRun } from '../experiment/evaluate-run.js';
import { writeRunReport } from '../experiment/report.js';
import { runFiles } from '../experiment/run-dir.js';
import { writeJsonAtomic } from '../fs-atomic.js';
import { summarize } from '../experiment/summary.js';
import type { ExperimentConfig } from '../experiment/config.js';
import { validateExperiment } from '../experiment/setup.js';

export interface ExecuteOptions {
  readonly mode: 'run' | 'train';
  readonly resume: boolean;
  readonly quiet: boolean;
  readonly backend: string;
}

/** Train (and for `run`: evaluate, analyse, report) one experiment into `dir`. */
export async function executeRun(cfg: ExperimentConfig, dir: string, opts: ExecuteOptions): Promise<{ summary: ReturnType<typeof summarize>; traces: Trace[] }> {
  const log = (s: string) => {
    if (!opts.quiet) process.stderr.write(`${s}\n`);
  };
  log(`anira: ${opts.mode} "${cfg.name}": task ${cfg.task.name}, policy ${cfg.policy.name}, backend ${opts.backend}, folder ${dir}`);
  const trained = await trainRun(cfg, dir, { resume: opts.resume, quiet: opts.quiet });
  try {
    log(`anira: trained ${trained.steps} updates in ${trained.seconds.toFixed(1)} s (${trained.stopped})`);
    let traces: Trace[] = [];
    if (opts.mode === 'run') {
      traces = evaluateRun(cfg, dir, trained);
      await writeRunReport([dir]);
    }
    const summary = summarize(cfg, trained, traces, opts.backend);
    writeJsonAtomic(runFiles(dir).summary, summary);
    return { summary, traces };
  } finally {
    trained.trainer.dispose();
    trained.policy.dispose();
    trained.model.dispose();
  }
}

export async function runExperiment(flags: ExperimentFlags, mode: 'run' | 'train'): Promise<void> {
  const cfg = experimentFromFlags(flags);
  await validateExperiment(cfg, flags.config ?? 'experiment');
  const dir = chooseRunDir(flags, cfg.name);
  const backend = await setupBackend(flags.backend);
  if (backend.notice) process.stderr.write(`${backend.notice}\n`);
  const { summary, traces } = await executeRun(cfg, dir, { mode, resume: flags.resume, quiet: flags.quiet, backend: backend.name });
  if (mode === 'run') {
    process.stdout.write(`\n${formatSummaryTable(traces)}\n\n${formatGeneralization(generalization(traces))}\n`);
    process.stdout.write(`\nrun folder: ${dir}  (report: ${runFiles(dir).report}/index.html)\n`);
  } else {
    process.stdout.write(`run folder: ${dir}\nheld-out token accuracy ${summary.heldOut?.accuracy.toFixed(4) ?? 'n/a'}, mean depth ${summary.heldOut?.meanDepth.toFixed(3) ?? 'n/a'}\n`);
  }
}

export function runCommand(): Command {
  return addExperimentFlags(
    new Command('run').description('Train, evaluate, analyse and report one experiment (the default when no command is given).'),
  ).action((flags: ExperimentFlags) => runExperiment(flags, 'run'));
}

export function trainCommand(): Command {
  return addExperimentFlags(new Command('train').description('Train a model with a halting policy into a run folder.')).action((flags: ExperimentFlags) =>
    runExperiment(flags, 'train'),
  );
}

/**
 * `anira run` (and `anira` with no command): the main job. Train, evaluate
 * (in-distribution and larger sizes, training and extended T_max), analyse and
 * report, into one run folder, then print the summary table.
 */
import { Command } from 'commander';
import { formatGeneralization, formatSummaryTable, generalization, type Trace } from '@anira/metrics';
import { heapExhaustedError, setupBackend } from '../backend.js';
import { join } from 'node:path';
import { addExperimentFlags, chooseRunDir, configSteps, experimentFromFlags, resolveWorkers, resumeConfig, type ExperimentFlags } from '../experiment/flags.js';
import { checkpointStep, trainRun, type TrainedRun } from '../experiment/train-run.js';
import { readRunConfig, staleTraceWarnings } from '../experiment/load-run.js';
import { RunFailure, UsageError } from '../errors.js';
import { evaluateRun } from '../experiment/evaluate-run.js';
import { writeRunReport } from '../experiment/report.js';
import { RunFolder, type SummaryStatus } from '../experiment/run-folder.js';
import { DiskFullError } from '../fs-atomic.js';
import { summarize } from '../experiment/summary.js';
import type { ExperimentConfig } from '../experiment/config.js';
import { setupTask, validateExperiment } from '../experiment/setup.js';
import { heldOutShares, heldOutWarnings } from '../experiment/data-splits.js';
import { trainStacked } from '../experiment/train-stacked.js';
import { gateOf, gateRefusal } from '../experiment/curriculum-gate.js';

export interface ExecuteOptions {
  readonly mode: 'run' | 'train';
  readonly resume: boolean;
  readonly quiet: boolean;
  readonly backend: string;
  /** A resume with a larger --steps: the run's steps before (logged; config.json is rewritten). */
  readonly extendedFrom?: number;
  /** Worker threads for data-parallel training (default 1). */
  readonly workers?: number;
}

export type RunSummary = ReturnType<typeof summarize>;

/** A finished run (summary.json written for the checkpoint's update, which reached its end): left untouched by --resume. */
function completedRun(cfg: ExperimentConfig, folder: RunFolder): SummaryStatus | undefined {
  const status = folder.readSummaryStatus();
  if (!status || !folder.hasCheckpoint()) return undefined;
  const step = checkpointStep(folder.checkpoint);
  if (status.steps !== step) return undefined;
  const earlyStop = status.stopped === 'target-accuracy' || status.stopped === 'patience';
  return step >= configSteps(cfg) || earlyStop ? status : undefined;
}

/**
 * Train (and for `run`: evaluate, analyse, report) one experiment into `folder`, holding
 * its lock. Returns `complete` (and no traces) when --resume found the run finished.
 */
export async function executeRun(
  cfg: ExperimentConfig,
  folder: RunFolder,
  opts: ExecuteOptions,
): Promise<{ summary: RunSummary; traces: Trace[]; complete?: SummaryStatus }> {
  const log = (s: string) => {
    if (!opts.quiet) process.stderr.write(`${s}\n`);
  };
  const release = folder.open(log);
  try {
    const complete = opts.resume && opts.extendedFrom === undefined ? completedRun(cfg, folder) : undefined;
    if (complete) return { summary: folder.readSummary() as RunSummary, traces: [], complete };
    // validate the checkpoint first (a corrupt one is an input error naming it), then announce
    const startStep = opts.resume && folder.hasCheckpoint() ? checkpointStep(folder.checkpoint) : 0;
    log(`anira: ${opts.mode} "${cfg.name}": task ${cfg.task.name}, policy ${cfg.policy.name}, backend ${opts.backend}, folder ${folder.dir}`);
    if (opts.extendedFrom !== undefined) log(`anira: --steps extends the run from ${opts.extendedFrom} to ${configSteps(cfg)} updates (recorded in ${folder.config})`);
    const fresh = !opts.resume || !folder.holdsRun();
    const workers = opts.workers ?? 1;
    if (workers > 1) log(`anira: data-parallel training on ${workers} worker threads`);
    warnHeldOutShares(cfg);
    const trained = await trainRun(cfg, folder, {
      resume: opts.resume, quiet: opts.quiet, writeConfig: fresh || opts.extendedFrom !== undefined, parallel: { workers, backend: opts.backend }, command: opts.mode, log,
    });
    return await finishRun(cfg, folder, trained, opts, log, startStep);
  } catch (e) {
    if (e instanceof DiskFullError) throw new RunFailure(`${e.message}; training is complete and saved in ${folder.checkpoint}, rerun with --resume once space is freed`);
    throw e;
  } finally {
    release();
  }
}

/** After training: evaluate, analyse and report (`run` mode), write summary.json; frees the run's tensors. */
async function finishRun(
  cfg: ExperimentConfig, folder: RunFolder, trained: TrainedRun, opts: Pick<ExecuteOptions, 'mode' | 'backend'>, log: (s: string) => void, startStep = 0,
): Promise<{ summary: RunSummary; traces: Trace[] }> {
  try {
    const best = trained.bestStep !== undefined ? `; evaluating the best held-out weights, from update ${trained.bestStep}` : '';
    const from = startStep > 0 ? ` (updates ${startStep + 1} to ${trained.steps})` : '';
    log(`anira: trained ${trained.steps - startStep} updates${from} in ${trained.seconds.toFixed(1)} s (${trained.stopped})${best}`);
    if (trained.gate) log(`anira: ${trained.gate.describe()}`);
    let traces: Trace[] = [];
    if (opts.mode === 'run') {
      traces = await evaluateRun(cfg, folder, trained);
      await writeRunReport([folder]);
    }
    const summary = summarize(cfg, trained, traces, opts.backend);
    folder.writeSummary(summary);
    // `train` does not trace: traces of a previous `run` describe other weights once training went on
    if (opts.mode === 'train') for (const w of staleTraceWarnings(folder, summary.weightsStep)) process.stderr.write(`anira: warning: ${w}\n`);
    return { summary, traces };
  } finally {
    trained.trainer.dispose();
    trained.policy.dispose();
    trained.model.dispose();
  }
}

/** The config of a command line: with --resume on an existing run, the run's own config.json. */
function commandConfig(flags: ExperimentFlags): { cfg: ExperimentConfig; extendedFrom?: number } {
  // --resume without --config continues a run: a folder with none is a typo, not a fresh start (refused);
  // with --config, a folder holding no run starts one there
  if (flags.resume && flags.out !== undefined && (flags.config === undefined || new RunFolder(flags.out).holdsRun())) {
    const folder = RunFolder.forResume(flags.out);
    return resumeConfig(flags, readRunConfig(folder), folder);
  }
  return { cfg: experimentFromFlags(flags) };
}

export async function runExperiment(flags: ExperimentFlags, mode: 'run' | 'train'): Promise<void> {
  if (flags.seeds) return runSeeds(flags, flags.seeds, mode);
  const { cfg, extendedFrom } = commandConfig(flags);
  await validateExperiment(cfg, flags.config ?? 'experiment');
  const folder = new RunFolder(chooseRunDir(flags, cfg.name));
  const backend = await setupBackend(flags.backend);
  if (backend.notice) process.stderr.write(`${backend.notice}\n`);
  const workers = resolveWorkers(flags.workers, cfg);
  if (workers > 1 && backend.useAsync) throw new UsageError(`--workers ${workers}: data-parallel training runs on cpu and wasm backends; ${backend.name} needs one process (--workers 1)`);
  if (workers > 1 && gateOf(cfg)) throw gateRefusal('workers', `--workers ${String(flags.workers)}`);
  const { summary, traces, complete } = await executeRun(cfg, folder, {
    mode, resume: flags.resume, quiet: flags.quiet, backend: backend.name, workers, ...(extendedFrom !== undefined ? { extendedFrom } : {}),
  }).catch((e: unknown) => {
    throw heapExhaustedError(e, cfg) ?? e;
  });
  if (complete) {
    process.stdout.write(`run folder ${folder.dir} is already complete (${complete.steps} updates, stopped: ${complete.stopped}); left untouched (pass a larger --steps to extend it)\n`);
  } else if (mode === 'run') {
    process.stdout.write(`\n${formatSummaryTable(traces)}\n\n${formatGeneralization(generalization(traces))}\n`);
  } else {
    process.stdout.write(`run folder: ${folder.dir}\nheld-out token accuracy ${summary.heldOut?.accuracy.toFixed(4) ?? 'n/a'}, mean depth ${summary.heldOut?.meanDepth.toFixed(3) ?? 'n/a'}\n`);
  }
}

/** Warn (stderr, even with --quiet) about training sizes whose inputs the held-out sets mostly take (data-splits.ts). */
function warnHeldOutShares(cfg: ExperimentConfig): void {
  const setup = setupTask(cfg);
  for (const w of heldOutWarnings(setup, heldOutShares(setup, cfg))) process.stderr.write(`anira: warning: ${w}\n`);
}

/**
 * Train runs that differ only in their seed as one stacked model into `folders` (fresh
 * folders; each locked while it trains), then evaluate/report (`run` mode) and write
 * each summary.json. Per run: its summary and traces, or its one-line failure.
 */
export async function executeStacked(
  cfgs: readonly ExperimentConfig[], folders: readonly RunFolder[], opts: { mode: 'run' | 'train'; backend: string; quiet: boolean },
): Promise<({ summary: RunSummary; traces: Trace[] } | RunFailure)[]> {
  const log = (s: string) => {
    if (!opts.quiet) process.stderr.write(`${s}\n`);
  };
  const releases: (() => void)[] = [];
  try {
    for (const folder of folders) releases.push(folder.open(log));
    for (const cfg of cfgs) warnHeldOutShares(cfg);
    const trained = await trainStacked(cfgs, folders, log);
    const out: ({ summary: RunSummary; traces: Trace[] } | RunFailure)[] = [];
    for (const [k, t] of trained.entries()) {
      const seed = cfgs[k]!.seed;
      out.push(t instanceof RunFailure ? t : await finishRun(cfgs[k]!, folders[k]!, t, opts, (s) => log(`seed ${seed}: ${s.replace(/^anira: /, '')}`)));
    }
    return out;
  } finally {
    for (const release of releases) release();
  }
}

/**
 * `--seeds a,b,c`: one run per seed, trained as one stacked model, each into
 * `<out>/seed-<s>` (a lone run's folder: `anira eval`, `--resume` without --seeds
 * and `loadCheckpoint` read it as such). A seed that fails does not stop the
 * others; the command then exits 1 naming it.
 */
async function runSeeds(flags: ExperimentFlags, seeds: readonly number[], mode: 'run' | 'train'): Promise<void> {
  if (flags.resume) throw new UsageError(`--seeds starts fresh runs; continue one seed's folder without --seeds (--out <folder>/seed-<s> --resume)`);
  if (flags.seed !== undefined) throw new UsageError(`--seed ${flags.seed}: --seeds sets each run's seed; pass one of --seed and --seeds`);
  if (flags.workers !== 1) throw new UsageError(`--workers ${String(flags.workers)}: --seeds trains its stacked model in one thread; drop --workers`);
  const base = experimentFromFlags(flags);
  if (gateOf(base)) throw gateRefusal('seeds', '--seeds');
  const cfgs = seeds.map((seed) => ({ ...base, seed }));
  await validateExperiment(base, flags.config ?? 'experiment');
  const root = chooseRunDir(flags, base.name);
  const folders = seeds.map((seed) => new RunFolder(join(root, `seed-${seed}`)));
  const taken = folders.find((f) => f.holdsRun());
  if (taken) throw new UsageError(`--out ${root}: a run already exists in ${taken.dir}; choose another folder`);
  const backend = await setupBackend(flags.backend);
  if (backend.notice) process.stderr.write(`${backend.notice}\n`);
  if (!flags.quiet) {
    process.stderr.write(`anira: ${mode} "${base.name}" for seeds ${seeds.join(',')} stacked in one model: task ${base.task.name}, policy ${base.policy.name}, backend ${backend.name}, folders ${root}/seed-*\n`);
  }
  const results = await executeStacked(cfgs, folders, { mode, backend: backend.name, quiet: flags.quiet });
  const failures: string[] = [];
  for (const [k, r] of results.entries()) {
    if (r instanceof RunFailure) {
      failures.push(r.message);
      continue;
    }
    const head = `seed ${seeds[k]!}: run folder ${folders[k]!.dir}`;
    if (mode === 'run') {
      process.stdout.write(`\n${head}\n${formatSummaryTable(r.traces)}\n\n${formatGeneralization(generalization(r.traces))}\n`);
    } else {
      process.stdout.write(`${head}, held-out token accuracy ${r.summary.heldOut?.accuracy.toFixed(4) ?? 'n/a'}, mean depth ${r.summary.heldOut?.meanDepth.toFixed(3) ?? 'n/a'}\n`);
    }
  }
  if (failures.length) throw new RunFailure(failures.join('; '));
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

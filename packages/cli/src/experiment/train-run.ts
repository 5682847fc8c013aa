/**
 * Train one run into its folder (the caller holds the folder's lock): resumes from
 * `checkpoint.anira` when present, checkpoints atomically every `checkpointEvery`
 * updates and at the end, writes `best.anira` (best held-out evaluation) whenever a
 * checkpoint is saved and the best changed, and keeps `metrics.jsonl` consistent with
 * the checkpoint (entries past it are dropped on resume, so a resumed log equals an
 * uninterrupted one). After training the model holds the BEST weights. With a gated
 * curriculum (curriculum-gate.ts) each run call ends at the next held-out evaluation,
 * where the gate may open a size before the next update draws its examples, and the
 * gate's state goes into every checkpoint header and is restored with it.
 *
 * Failures are one line (`RunFailure`, exit 1) and never cost the last checkpoint:
 * a non-finite loss or gradient norm stops at that update with nothing saved after
 * it; a full disk names the file and the last update safely on disk.
 */
import { applyInit } from './init-weights.js';
import { existsSync, readFileSync } from 'node:fs';
import {
  AniraInputError, LoopedTransformer, NonFiniteTrainingError, NonFiniteWeightError, readCheckpointHeader, Trainer,
  type EvalResult, type StackedReplica, type TrainerConfig, type TrainerOptions, type TrainLogEntry, type TrainRunResult,
} from '@anira/model';
import { createParallelTrainer, readCheckpointFile, type ParallelTrainer } from '@anira/model/node';
import type { HaltingPolicy } from '@anira/halting';
import type { ExperimentConfig } from './config.js';
import type { RunFolder } from './run-folder.js';
import { curriculumOf, heldOutBySize, heldOutKeys, heldOutSet, setupModelConfig, setupPolicy, setupTask, trainingStream, type TaskSetup } from './setup.js';
import { accuracyBySize, examplesBySize, gateOf, gateRefusal, sizeGateOf, withoutEarlyStopping, type SizeGate } from './curriculum-gate.js';
import { DiskFullError } from '../fs-atomic.js';
import { createProgress } from '../progress.js';
import { prefixed, RunFailure, UsageError } from '../errors.js';
import { usesAsyncReads } from '../backend.js';

export type StopReason = 'steps' | 'target-accuracy' | 'patience' | 'already-complete';

/** A single-process trainer, or a data-parallel one on worker threads (`--workers N`, N > 1). */
export type AnyTrainer = Trainer | ParallelTrainer | StackedReplica;

/** Data parallelism of a run: worker threads (1 = train in this thread) and the backend each selects. */
export interface Parallelism {
  readonly workers: number;
  readonly backend: string;
}

export interface TrainedRun {
  readonly setup: TaskSetup;
  readonly model: LoopedTransformer;
  readonly policy: HaltingPolicy;
  readonly trainer: AnyTrainer;
  readonly steps: number;
  readonly stopped: StopReason;
  /** Held-out evaluation of the weights the model now holds (the best ones when there is a best). */
  readonly lastEval?: EvalResult;
  /** The update whose weights the model holds for evaluation (the best held-out evaluation). */
  readonly bestStep?: number;
  /** The update whose weights the model holds now (`bestStep`, else the last update): traced by `evaluateRun`. */
  readonly weightsStep: number;
  readonly seconds: number;
  /** The gate of a gated curriculum (`task.curriculum.gate`), with the sizes it opened. */
  readonly gate?: SizeGate;
}

/**
 * Build model, policy and trainer for a config (weights freshly initialised). With a
 * gated curriculum (`gate`), the training stream draws from the sizes the gate has
 * opened, the trainer leaves patience and target accuracy to the gate, and each
 * checkpoint header carries the gate's state as `curriculum` (curriculum-gate.ts).
 */
export async function buildRun(cfg: ExperimentConfig, hooks: Pick<TrainerOptions, 'onLog' | 'onProgress' | 'readEvery'> = {}): Promise<{
  setup: TaskSetup; model: LoopedTransformer; policy: HaltingPolicy; trainer: Trainer; gate?: SizeGate;
}> {
  const setup = setupTask(cfg);
  const modelConfig = setupModelConfig(cfg, setup);
  const model = new LoopedTransformer(modelConfig);
  const policy = await setupPolicy(cfg, modelConfig);
  const gate = sizeGateOf(cfg, setup.trainSizes);
  const trainer = new Trainer({
    model,
    policy,
    example: trainingStream(setup, cfg.seed, heldOutKeys(setup, cfg), gate ? gate.openAt : curriculumOf(cfg)),
    config: gate ? withoutEarlyStopping(trainerConfigOf(cfg)) : trainerConfigOf(cfg),
    evalExamples: heldOutSet(setup, cfg.seed, cfg.eval.heldOut),
    meta: gate ? gatedMeta(setup, gate) : runMeta(setup),
    ...hooks,
  });
  return { setup, model, policy, trainer, ...(gate ? { gate } : {}) };
}

export const trainerConfigOf = (cfg: ExperimentConfig): Partial<TrainerConfig> => ({ seed: cfg.seed, ...(cfg.trainer as Partial<TrainerConfig>) });
export const runMeta = (setup: TaskSetup) => ({ task: { name: setup.task.name, params: setup.params, trainSizes: setup.trainSizes } });

/** `runMeta` with the gate's state as `curriculum`, read each time a checkpoint header is written. */
const gatedMeta = (setup: TaskSetup, gate: SizeGate) => ({
  ...runMeta(setup),
  get curriculum() {
    return gate.state();
  },
});

/**
 * `buildRun` with the global batch split over `workers` threads (each rebuilds the run
 * from its JSON config through the built `parallel-setup.js`); the same checkpoints,
 * evaluation and early stopping, one optimizer update per step.
 */
async function buildParallelRun(cfg: ExperimentConfig, parallel: Parallelism, hooks: Pick<TrainerOptions, 'onLog' | 'onProgress'>) {
  const setup = setupTask(cfg);
  let trainer: ParallelTrainer;
  try {
    trainer = await createParallelTrainer({
      setupModule: new URL('./parallel-setup.js', import.meta.url),
      setupData: { config: cfg, backend: parallel.backend },
      workers: parallel.workers,
      config: trainerConfigOf(cfg),
      meta: runMeta(setup),
      ...hooks,
    });
  } catch (e) {
    throw prefixed(`--workers ${parallel.workers}`, e);
  }
  return { setup, model: trainer.replica.model, policy: trainer.replica.policy, trainer };
}

/**
 * Restore the checkpoint of a run folder into a freshly built run (a bad file is an
 * input error naming it); returns the checkpoint's header metadata.
 */
export function restoreRun(folder: RunFolder, trainer: AnyTrainer): Readonly<Record<string, unknown>> {
  const path = folder.checkpoint;
  const bytes = readCheckpointFile(path);
  try {
    trainer.restore(bytes);
    return readCheckpointHeader(bytes).meta;
  } catch (e) {
    throw prefixed(path, e);
  }
}

/** Restore a gated run's gate from its checkpoint header (`meta`), or refuse a gate state the run's config does not have. */
function restoreGate(gate: SizeGate | undefined, meta: Readonly<Record<string, unknown>>, path: string, step: number): void {
  if (gate) {
    gate.restore(meta['curriculum'], path, step);
  } else if (meta['curriculum'] !== undefined) {
    throw new UsageError(`${path}: the checkpoint holds the state of a gated curriculum (header field "curriculum"), but the run's config has no "task.curriculum.gate"`, { code: 'invalid-file' });
  }
}

/** The update a checkpoint file holds (a bad file is an input error naming it). */
export function checkpointStep(path: string): number {
  return (readCheckpointHeader(readCheckpointFile(path)).meta as { step: number }).step;
}

/** Steps of the best-weights file, or undefined when it is missing or not a valid checkpoint. */
function bestFileStep(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return (readCheckpointHeader(new Uint8Array(readFileSync(path))).meta as { step: number }).step;
  } catch (e) {
    if (AniraInputError.isInstance(e)) return undefined;
    throw e;
  }
}

/** Yield to the event loop so SIGINT/SIGTERM handlers (the run lock's release) run between updates. */
/**
 * Updates per device→host read in `anira train` (one thread): loss, accuracy,
 * gradient norm and depth stay on the device and are read, logged and checked once
 * per interval (also cut at evaluations and checkpoints); a NaN can go unseen for at
 * most `TRAIN_READ_EVERY - 1` updates and rolls its interval back (docs/cli.md).
 */
export const TRAIN_READ_EVERY = 10;

const logToStderr = (line: string) => process.stderr.write(`${line}\n`);

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface TrainOptions {
  readonly resume: boolean;
  readonly quiet?: boolean;
  /** Write config.json (a fresh run, or a resume that extended --steps). */
  readonly writeConfig: boolean;
  /** Worker threads for data-parallel training (default: 1, this thread). */
  readonly parallel?: Parallelism;
  /** The command that resumes this run, for the Ctrl-C line (default `train`). */
  readonly command?: 'run' | 'train';
  /** Where the run's notes go (default: stderr), e.g. where `init` took the model's weights from. */
  readonly log?: (line: string) => void;
}

export async function trainRun(cfg: ExperimentConfig, folder: RunFolder, opts: TrainOptions): Promise<TrainedRun> {
  const started = Date.now();
  const parallel = opts.parallel && opts.parallel.workers > 1 ? opts.parallel : undefined;
  if (parallel && gateOf(cfg)) throw gateRefusal('workers', `--workers ${parallel.workers}`);
  const progress = opts.quiet ? undefined : createProgress('train');
  // a gated run's evaluation entry waits for the gate's record (written by `gateStep`)
  let held: TrainLogEntry | undefined;
  const hooks: Pick<TrainerOptions, 'onLog' | 'onProgress'> = {
    onLog: (entry) => {
      if (run.gate && !run.gate.complete && trainer.evalDue(entry.step)) held = entry;
      else folder.appendMetrics(entry);
    },
    onProgress: (p) => progress?.update(p),
  };
  const run: { setup: TaskSetup; model: LoopedTransformer; policy: HaltingPolicy; trainer: Trainer | ParallelTrainer; gate?: SizeGate } = parallel
    ? await buildParallelRun(cfg, parallel, hooks)
    : await buildRun(cfg, { ...hooks, readEvery: TRAIN_READ_EVERY });
  const { trainer, gate } = run;
  let saved = 0; // the update held by checkpoint.anira
  let bestWritten: number | undefined;
  const writeBest = async () => {
    if (trainer.bestEval === undefined || trainer.bestStep === bestWritten) return;
    const bytes = await trainer.bestCheckpoint();
    if (!bytes) return;
    folder.writeBest(bytes);
    bestWritten = trainer.bestStep;
  };
  const save = async () => {
    const bytes = await trainer.checkpoint();
    folder.writeCheckpoint(bytes);
    saved = trainer.step;
    await writeBest();
  };
  const clearNote = folder.onInterrupt(() =>
    `interrupted at update ${trainer.step}; ${saved > 0 ? `${folder.checkpoint} holds update ${saved}` : 'no checkpoint was written yet'}; resume with \`anira ${opts.command ?? 'train'} --resume --out ${folder.dir}\``,
  );
  // webgpu: await data() reads (runAsync/evaluateAsync); identical results, see backend.ts
  const useAsync = usesAsyncReads();
  const runUntil = (step: number) => trainer.runAsync(step); // every trainer's one async run (bit-identical to Trainer.run)
  const selection = gate ? examplesBySize(heldOutBySize(run.setup, cfg.seed, cfg.eval.heldOut)) : undefined;
  /**
   * The gate at the evaluation that ended the last run call: while a size is closed,
   * each open size's accuracy on its part of the selection set (the next size may
   * open, before any example of the next update is drawn) and the held metrics entry
   * written with the gate's record; once all are open, early stopping.
   */
  const gateStep = async (): Promise<TrainRunResult | undefined> => {
    if (!gate || !selection) return undefined;
    const step = trainer.step;
    const ev = trainer.lastEval;
    if (!ev) throw new Error(`gated curriculum: no held-out evaluation after update ${step}`);
    const c = trainer.config;
    const bySize = gate.complete ? undefined : await accuracyBySize(run.model, run.policy, selection, gate.openSizes, { batchSize: c.batchSize, seed: c.seed }, useAsync);
    const d = gate.observe(step, { ...(bySize ? { bySize } : {}), accuracy: ev.accuracy, improved: trainer.bestStep === step });
    if (held) {
      const entry = held;
      held = undefined;
      folder.appendMetrics(d.record ? { ...entry, curriculum: d.record } : entry);
    }
    return d.stop ? { stopped: d.stop, step, eval: ev } : undefined;
  };
  /** The next run call, up to `end` (one read interval; for a gated run, cut at the next evaluation, where the gate acts). */
  const advance = async (end: number): Promise<TrainRunResult> => {
    const every = trainer.config.evalEvery;
    const nextEval = gate && every > 0 ? (Math.floor(trainer.step / every) + 1) * every : end;
    const r = await runUntil(Math.min(end, trainer.step + trainer.readEvery, nextEval));
    return gate && r.stopped === 'steps' && trainer.evalDue() ? ((await gateStep()) ?? r) : r;
  };
  let result: { stopped: StopReason; eval?: EvalResult } = { stopped: 'steps' };
  try {
    if (opts.resume && folder.hasCheckpoint()) {
      restoreGate(gate, restoreRun(folder, trainer), folder.checkpoint, trainer.step);
      saved = trainer.step;
      if (trainer.bestEval === undefined && existsSync(folder.best)) {
        const best = readCheckpointFile(folder.best);
        try {
          trainer.restoreBest(best);
        } catch (e) {
          throw prefixed(folder.best, e);
        }
      }
      bestWritten = bestFileStep(folder.best);
      folder.rewriteMetrics(folder.readMetrics().filter((e) => typeof e['step'] === 'number' && (e['step'] as number) <= trainer.step));
      await writeBest();
    } else {
      folder.rewriteMetrics();
      if (cfg.init) {
        const { note, warning } = applyInit({ ...cfg, init: cfg.init }, trainer);
        (opts.log ?? logToStderr)(note);
        if (warning) logToStderr(warning); // shown under --quiet too
      }
    }
    if (opts.writeConfig) folder.writeConfig(cfg);
    const total = trainer.config.steps;
    if (trainer.step >= total) {
      result = { stopped: 'already-complete' };
    } else if (gate?.exhausted) {
      result = { stopped: 'patience' }; // a resumed gated run that had run out of patience (the trainer's own check, for a plain run)
    } else {
      try {
        while (trainer.step < total) {
          const chunkEnd = cfg.checkpointEvery > 0 ? Math.min(total, (Math.floor(trainer.step / cfg.checkpointEvery) + 1) * cfg.checkpointEvery) : total;
          let r = await advance(chunkEnd);
          while (r.stopped === 'steps' && trainer.step < chunkEnd) {
            await breathe();
            r = await advance(chunkEnd);
          }
          await save();
          result = r;
          if (r.stopped !== 'steps') break;
          await breathe();
        }
      } finally {
        progress?.stop();
      }
    }
  } catch (e) {
    clearNote();
    await trainer.close(); // worker threads would keep the process alive
    if (e instanceof NonFiniteTrainingError) {
      throw new RunFailure(`${e.message}; ${saved > 0 ? `${folder.checkpoint} keeps update ${saved}` : 'no checkpoint was written'}`);
    }
    if (e instanceof DiskFullError) throw new RunFailure(`${e.message}; the run is intact up to update ${saved}`);
    if (e instanceof NonFiniteWeightError && !opts.resume) throw new RunFailure(e.message);
    throw e;
  }
  clearNote(); // evaluation follows; an interrupt now leaves a complete checkpoint
  await trainer.close(); // the workers' part is done; the main replica evaluates
  // evaluate what the best held-out evaluation saw; checkpoint.anira stays the latest, for resume
  const usedBest = trainer.useBest();
  const lastEval = usedBest ? trainer.bestEval : (result.eval ?? (useAsync ? await trainer.evaluateAsync() : trainer.evaluate()));
  return {
    ...run,
    steps: trainer.step,
    stopped: result.stopped,
    ...(lastEval ? { lastEval } : {}),
    ...(usedBest ? { bestStep: trainer.bestStep } : {}),
    weightsStep: usedBest ? trainer.bestStep : trainer.step,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Train one run into its folder: resumes from `checkpoint.anira` when present,
 * checkpoints atomically every `checkpointEvery` updates and at the end, and keeps
 * `metrics.jsonl` consistent with the checkpoint (entries past it are dropped on
 * resume, so a resumed log equals an uninterrupted one).
 */
import { existsSync } from 'node:fs';
import { LoopedTransformer, Trainer, type EvalResult, type TrainerOptions } from '@anira/model';
import { readCheckpointFile, writeCheckpointFile } from '@anira/model/node';
import type { HaltingPolicy } from '@anira/halting';
import type { ExperimentConfig } from './config.js';
import { runFiles, readMetricsLog } from './run-dir.js';
import { heldOutSet, setupModelConfig, setupPolicy, setupTask, trainingStream, type TaskSetup } from './setup.js';
import { appendJsonLine, writeFileAtomic, writeJsonAtomic } from '../fs-atomic.js';
import { createProgress } from '../progress.js';
import { asUsage } from '../errors.js';

export interface TrainedRun {
  readonly setup: TaskSetup;
  readonly model: LoopedTransformer;
  readonly policy: HaltingPolicy;
  readonly trainer: Trainer;
  readonly steps: number;
  readonly stopped: 'steps' | 'target-accuracy' | 'already-complete';
  readonly lastEval?: EvalResult;
  readonly seconds: number;
}

/** Build model, policy and trainer for a config (weights freshly initialised). */
export async function buildRun(cfg: ExperimentConfig, hooks: Pick<TrainerOptions, 'onLog' | 'onProgress'> = {}) {
  const setup = setupTask(cfg);
  const modelConfig = setupModelConfig(cfg, setup);
  const model = new LoopedTransformer(modelConfig);
  const policy = await setupPolicy(cfg, modelConfig);
  const trainer = asUsage(
    () =>
      new Trainer({
        model,
        policy,
        example: trainingStream(setup, cfg.seed),
        config: { seed: cfg.seed, ...(cfg.trainer as object) },
        evalExamples: heldOutSet(setup, cfg.seed, cfg.eval.heldOut),
        meta: { task: { name: setup.task.name, params: setup.params, trainSizes: setup.trainSizes } },
        ...hooks,
      }),
  );
  return { setup, model, policy, trainer };
}

/** Restore the checkpoint of a run folder into a freshly built run (one-line errors). */
export function restoreRun(dir: string, trainer: Trainer): void {
  asUsage(() => trainer.restore(readCheckpointFile(runFiles(dir).checkpoint)));
}

export async function trainRun(cfg: ExperimentConfig, dir: string, opts: { resume: boolean; quiet?: boolean }): Promise<TrainedRun> {
  const files = runFiles(dir);
  const started = Date.now();
  const progress = opts.quiet ? undefined : createProgress('train');
  const run = await buildRun(cfg, {
    onLog: (entry) => appendJsonLine(files.metrics, entry),
    onProgress: (p) => progress?.update(p),
  });
  const { trainer } = run;
  if (opts.resume && existsSync(files.checkpoint)) {
    restoreRun(dir, trainer);
    const kept = readMetricsLog(files.metrics).filter((e) => typeof e['step'] === 'number' && (e['step'] as number) <= trainer.step);
    writeFileAtomic(files.metrics, kept.map((e) => JSON.stringify(e) + '\n').join(''));
  } else {
    writeFileAtomic(files.metrics, '');
  }
  writeJsonAtomic(files.config, cfg);
  const total = trainer.config.steps;
  if (trainer.step >= total) {
    return { ...run, steps: trainer.step, stopped: 'already-complete', seconds: 0, ...(trainer.evaluate() ? { lastEval: trainer.lastEval! } : {}) };
  }
  const save = async () => writeCheckpointFile(files.checkpoint, await trainer.checkpoint());
  let result: ReturnType<Trainer['run']> = { stopped: 'steps', step: trainer.step };
  try {
    while (trainer.step < total) {
      const chunkEnd = cfg.checkpointEvery > 0 ? Math.min(total, (Math.floor(trainer.step / cfg.checkpointEvery) + 1) * cfg.checkpointEvery) : total;
      result = trainer.run(chunkEnd);
      await save();
      if (result.stopped === 'target-accuracy') break;
    }
  } finally {
    progress?.stop();
  }
  return { ...run, steps: trainer.step, stopped: result.stopped, ...(result.eval ? { lastEval: result.eval } : {}), seconds: (Date.now() - started) / 1000 };
}

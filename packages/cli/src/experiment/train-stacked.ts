/**
 * Train K runs that differ only in their seed (`--seeds`) as one stacked model
 * (`StackedTrainer` of @anira/model), each into its own run folder exactly as
 * `trainRun` writes a lone run: `config.json`, `metrics.jsonl` (one line per
 * update of that seed), `checkpoint.anira` every `checkpointEvery` updates, when
 * the seed stops early and at the end, and `best.anira`. A seed that stops early
 * is finalised at once while the others go on; a seed whose loss or gradient norm
 * turns non-finite fails alone (its folder keeps its last checkpoint) and is
 * reported as a `RunFailure`. Fresh runs only (the callers refuse `--resume`), and no
 * gated curriculum (refused: a stacked seed's early stopping cannot wait for it).
 */
import { UsageError } from '../errors.js';
import { NonFiniteTrainingError, StackedTrainer, type EvalResult, type StackedReplicaOptions, type TrainRunResult } from '@anira/model';
import { LoopedTransformer } from '@anira/model';
import type { ExperimentConfig } from './config.js';
import type { RunFolder } from './run-folder.js';
import { curriculumOf, heldOutKeys, heldOutSet, setupModelConfig, setupPolicy, setupTask, trainingStream } from './setup.js';
import { runMeta, trainerConfigOf, type StopReason, type TrainedRun } from './train-run.js';
import { gateOf, gateRefusal } from './curriculum-gate.js';
import { RunFailure } from '../errors.js';
import { usesAsyncReads } from '../backend.js';

/** Yield to the event loop so SIGINT/SIGTERM handlers (the run locks' release) run between updates. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One seed's run folder bookkeeping: what is on disk. */
interface SeedFiles {
  readonly folder: RunFolder;
  saved: number;
  bestWritten: number | undefined;
}

/**
 * Train `cfgs` (one per seed; equal but for `seed`) stacked, into `folders`. Returns,
 * per seed, its trained run (the model holding its best weights) or its failure.
 */
export async function trainStacked(cfgs: readonly ExperimentConfig[], folders: readonly RunFolder[], log: (s: string) => void): Promise<(TrainedRun | RunFailure)[]> {
  if (cfgs.some((cfg) => gateOf(cfg) !== undefined)) throw gateRefusal('seeds', '--seeds');
  if (cfgs.some((cfg) => cfg.init !== undefined)) {
    throw new UsageError('--seeds: not with "init" (another run\'s weights): a stacked model starts every seed from its own initialisation; train the seeds one by one (without --seeds / --stack-seeds / "stackSeeds")', { field: '--seeds' });
  }
  const started = Date.now();
  const runs = await Promise.all(cfgs.map(async (cfg, k) => {
    const setup = setupTask(cfg);
    const modelConfig = setupModelConfig(cfg, setup);
    const model = new LoopedTransformer(modelConfig);
    const policy = await setupPolicy(cfg, modelConfig);
    const folder = folders[k]!;
    const options: StackedReplicaOptions = {
      model, policy, example: trainingStream(setup, cfg.seed, heldOutKeys(setup, cfg), curriculumOf(cfg)), config: trainerConfigOf(cfg),
      evalExamples: heldOutSet(setup, cfg.seed, cfg.eval.heldOut), meta: runMeta(setup),
      onLog: (entry) => folder.appendMetrics(entry),
    };
    return { setup, model, policy, options };
  }));
  const trainer = new StackedTrainer({ replicas: runs.map((r) => r.options) });
  const disk: SeedFiles[] = folders.map((folder) => ({ folder, saved: 0, bestWritten: undefined }));
  const save = async (k: number) => {
    const rep = trainer.replicas[k]!;
    const bytes = await rep.checkpoint();
    disk[k]!.folder.writeCheckpoint(bytes);
    disk[k]!.saved = rep.step;
    if (rep.bestEval === undefined || rep.bestStep === disk[k]!.bestWritten) return;
    const best = await rep.bestCheckpoint();
    if (!best) return;
    disk[k]!.folder.writeBest(best);
    disk[k]!.bestWritten = rep.bestStep;
  };
  cfgs.forEach((cfg, k) => {
    folders[k]!.rewriteMetrics();
    folders[k]!.writeConfig(cfg);
  });
  const useAsync = usesAsyncReads();
  const total = trainer.config.steps;
  const every = cfgs[0]!.checkpointEvery;
  const outcomes: (TrainRunResult | NonFiniteTrainingError | undefined)[] = cfgs.map(() => undefined);
  try {
    while (trainer.step < total && outcomes.some((o) => o === undefined)) {
      const r = useAsync ? await trainer.runAsync(trainer.step + 1) : trainer.run(trainer.step + 1);
      for (const [k, o] of r.replicas.entries()) {
        if (outcomes[k] !== undefined || (!(o instanceof NonFiniteTrainingError) && o.stopped === 'steps')) continue;
        outcomes[k] = o;
        if (o instanceof NonFiniteTrainingError) log(`anira: seed ${cfgs[k]!.seed}: ${o.message}`);
        else await save(k); // stopped early: finalised now, as a lone run
      }
      const chunkEnd = (every > 0 && trainer.step % every === 0) || trainer.step === total;
      if (chunkEnd) for (let k = 0; k < cfgs.length; k++) if (outcomes[k] === undefined) await save(k);
      await breathe();
    }
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  const seconds = (Date.now() - started) / 1000;
  const results: (TrainedRun | RunFailure)[] = [];
  for (const [k, run] of runs.entries()) {
    const o = outcomes[k] ?? { stopped: 'steps' as const, step: trainer.step };
    const rep = trainer.replicas[k]!;
    if (o instanceof NonFiniteTrainingError) {
      const saved = disk[k]!.saved;
      rep.dispose();
      run.policy.dispose();
      run.model.dispose();
      results.push(new RunFailure(`seed ${cfgs[k]!.seed}: ${o.message}; ${saved > 0 ? `${folders[k]!.checkpoint} keeps update ${saved}` : 'no checkpoint was written'}`));
      continue;
    }
    // evaluate what the best held-out evaluation saw, as a lone run
    const usedBest = rep.useBest();
    const ev: EvalResult | undefined = usedBest ? rep.bestEval : (o.eval ?? (useAsync ? await rep.evaluateAsync() : rep.evaluate()));
    results.push({
      setup: run.setup, model: run.model, policy: run.policy, trainer: rep, steps: rep.step, stopped: o.stopped as StopReason,
      ...(ev ? { lastEval: ev } : {}), ...(usedBest ? { bestStep: rep.bestStep } : {}),
      weightsStep: usedBest && rep.bestStep !== undefined ? rep.bestStep : rep.step, seconds,
    });
  }
  // the stacked model and optimizer are done; each seed's lone model, policy and replica state live on in its result
  trainer.releaseStacked();
  return results;
}

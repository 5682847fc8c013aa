/**
 * The setup module of data-parallel training (`--workers N`): every thread (the main
 * one and each worker) imports this built file (`dist/parallel-setup.js`) and calls
 * `setup({ config, backend })`, which selects the run's tfjs backend and rebuilds the
 * run's replica (model, policy, training stream, held-out set) from its JSON config,
 * exactly as a single-process run builds them (train-run.ts `buildRun`).
 */
import { LoopedTransformer } from '@anira/model';
import type { ParallelReplica } from '@anira/model/node';
import { setupBackend, type BackendChoice } from '../backend.js';
import type { ExperimentConfig } from './config.js';
import { curriculumOf, heldOutKeys, heldOutSet, setupModelConfig, setupPolicy, setupTask, trainingStream } from './setup.js';

export interface ParallelSetupData {
  readonly config: ExperimentConfig;
  readonly backend: string;
}

export async function setup(data: ParallelSetupData): Promise<ParallelReplica> {
  await setupBackend(data.backend as BackendChoice);
  const cfg = data.config;
  const task = setupTask(cfg);
  const modelConfig = setupModelConfig(cfg, task);
  const model = new LoopedTransformer(modelConfig);
  const policy = await setupPolicy(cfg, modelConfig);
  return { model, policy, example: trainingStream(task, cfg.seed, heldOutKeys(task, cfg), curriculumOf(cfg)), evalExamples: heldOutSet(task, cfg.seed, cfg.eval.heldOut) };
}

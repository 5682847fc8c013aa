/**
 * Builds the pieces of a run from its config: the task and its data streams, the
 * model config, and the halting policy (built-in by name, or a user module path).
 */
import { existsSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import {
  assertPolicyDefinition,
  getPolicyDefinition,
  resolvePolicyOptions,
  type HaltingPolicy,
  type PolicyDefinition,
} from '@anira/halting';
import { deriveExampleSeed, generateExample, getTask, sampleDataset, type Example, type Task } from '@anira/tasks';
import { defaultModelConfig, defaultTrainerConfig, type ModelConfig, type TrainerConfig } from '@anira/model';
import type { ExperimentConfig } from './config.js';
import { AniraInputError } from '@anira/tasks/errors';
import { prefixed, UsageError } from '../errors.js';

export interface TaskSetup {
  readonly task: Task;
  readonly params: Record<string, number>;
  readonly trainSizes: number[];
  readonly evalSizes: number[];
  /** Longest sequence over every train and eval size. */
  readonly maxLength: number;
  /** Task params with the size knob set. */
  withSize(size: number): Record<string, number>;
}

export function setupTask(cfg: ExperimentConfig): TaskSetup {
  const task = getTask(cfg.task.name);
  const params = task.resolveParams(cfg.task.params as Readonly<Record<string, number>>);
  const withSize = (size: number) => task.resolveParams({ ...params, [task.sizeParam]: size });
  const base = params[task.sizeParam]!;
  const trainSizes = cfg.task.trainSizes ?? [base];
  // default: the training sizes plus base+1 and 2*base, where the task accepts them
  const accepted = (size: number) => {
    try {
      task.resolveParams({ ...params, [task.sizeParam]: size });
      return true;
    } catch (e) {
      if (AniraInputError.isInstance(e)) return false;
      throw e;
    }
  };
  const evalSizes =
    cfg.task.evalSizes ?? [...new Set([...trainSizes, ...[base + 1, base * 2].filter(accepted)])].sort((a, b) => a - b);
  const maxLength = Math.max(...[...trainSizes, ...evalSizes].map((s) => task.maxLength(withSize(s))));
  return { task, params, trainSizes, evalSizes, maxLength, withSize };
}

/** Training example number `index`: its size knob is drawn from the train sizes, deterministically. */
export function trainingStream(setup: TaskSetup, seed: number): (index: number) => Example {
  const perSize = setup.trainSizes.map((s) => setup.withSize(s));
  return (index) => {
    const exSeed = deriveExampleSeed(seed, index);
    return generateExample(setup.task, perSize[exSeed % perSize.length]!, exSeed);
  };
}

/** A fixed held-out set mixing the training sizes (disjoint seed stream from training). */
export function heldOutSet(setup: TaskSetup, seed: number, n: number): Example[] {
  const per = Math.max(1, Math.ceil(n / setup.trainSizes.length));
  return setup.trainSizes.flatMap((s, i) => sampleDataset(setup.task, setup.withSize(s), { n: per, seed: seed + 1_000_003 + i }));
}

/** Evaluation set for one size (disjoint seed stream). */
export function evalSet(setup: TaskSetup, seed: number, size: number, n: number): Example[] {
  return sampleDataset(setup.task, setup.withSize(size), { n, seed: seed + 2_000_003 + size });
}

export function setupModelConfig(cfg: ExperimentConfig, setup: TaskSetup): ModelConfig {
  return defaultModelConfig({ seed: cfg.seed, ...(cfg.model as Partial<ModelConfig>), vocabSize: setup.task.vocab.size, maxLength: setup.maxLength });
}

/** Load a policy definition: a built-in name, or a path to a user ES module (`./my-policy.js`). */
export async function loadPolicyDefinition(nameOrPath: string): Promise<PolicyDefinition> {
  const isPath = nameOrPath.startsWith('.') || nameOrPath.startsWith('/') || /\.[cm]?js$/.test(nameOrPath);
  if (!isPath) return getPolicyDefinition(nameOrPath);
  const file = resolve(nameOrPath);
  if (!existsSync(file)) throw new UsageError(`--policy ${nameOrPath}: no such file (${file})`, { code: 'bad-path', field: '--policy' });
  if (statSync(file).isDirectory()) throw new UsageError(`--policy ${nameOrPath}: it is a folder, not a module file`, { code: 'bad-path', field: '--policy' });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    // the module's own syntax is the user's to fix; an error its code throws keeps its stack
    if (!(e instanceof SyntaxError)) throw e;
    throw new UsageError(`--policy ${nameOrPath}: cannot load module (${e.message.split('\n')[0]!})`, { field: '--policy', cause: e });
  }
  const value = mod['default'] ?? mod['policy'];
  if (value === undefined) throw new UsageError(`--policy ${nameOrPath}: the module has no default export (expected a PolicyDefinition)`);
  assertPolicyDefinition(value, nameOrPath);
  return value as PolicyDefinition;
}

export async function setupPolicy(cfg: ExperimentConfig, model: ModelConfig): Promise<HaltingPolicy> {
  const def = await loadPolicyDefinition(cfg.policy.name);
  const options = resolvePolicyOptions(def, cfg.policy.options);
  return def.create({ dModel: model.dModel, vocabSize: model.vocabSize, tMax: model.tMax, seed: model.seed }, options);
}

/**
 * Check everything a run needs before anything runs: task params, model config,
 * trainer config and policy options. Input errors are one line, prefixed with `where`.
 */
export async function validateExperiment(cfg: ExperimentConfig, where: string): Promise<void> {
  try {
    const setup = setupTask(cfg);
    setupModelConfig(cfg, setup);
    defaultTrainerConfig({ seed: cfg.seed, ...(cfg.trainer as Partial<TrainerConfig>) });
    const def = await loadPolicyDefinition(cfg.policy.name);
    resolvePolicyOptions(def, cfg.policy.options);
  } catch (e) {
    throw prefixed(where, e);
  }
}

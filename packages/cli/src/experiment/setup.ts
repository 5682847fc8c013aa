/**
 * Builds the pieces of a run from its config: the task and its data streams, the
 * model config, and the halting policy (built-in by name, or a user module path).
 * Three disjoint data sets by canonical input (`inputKey`): the training stream, the
 * selection set (best checkpoint, patience) and the analysis set (traces, reported
 * accuracy); the training stream redraws any input of the other two.
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
import { deriveExampleSeed, excludingStream, generateExample, getTask, inputKey, sampleDataset, type Example, type Task } from '@anira/tasks';
import { defaultModelConfig, defaultTrainerConfig, type ModelConfig, type TrainerConfig } from '@anira/model';
import type { ExperimentConfig } from './config.js';
import { checkGatedCurriculum } from './curriculum-gate.js';
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
  /** Does the task accept `size` for its size knob (with the other params as given)? */
  accepts(size: number): boolean;
}

export function setupTask(cfg: ExperimentConfig): TaskSetup {
  const task = getTask(cfg.task.name);
  const params = task.resolveParams(cfg.task.params as Readonly<Record<string, number>>);
  const withSize = (size: number) => task.resolveParams({ ...params, [task.sizeParam]: size });
  const base = params[task.sizeParam]!;
  const trainSizes = cfg.task.trainSizes ?? [base];
  // default: the training sizes plus base+1 and 2*base, where the task accepts them
  const accepts = (size: number) => {
    try {
      withSize(size);
      return true;
    } catch (e) {
      if (AniraInputError.isInstance(e)) return false;
      throw e;
    }
  };
  const evalSizes =
    cfg.task.evalSizes ?? [...new Set([...trainSizes, ...[base + 1, base * 2].filter(accepts)])].sort((a, b) => a - b);
  const maxLength = Math.max(...[...trainSizes, ...evalSizes].map((s) => task.maxLength(withSize(s))));
  return { task, params, trainSizes, evalSizes, maxLength, withSize, accepts };
}

/** Seed offset of redraw `attempt` (0: the plain stream) when a drawn input is held out. */
const redrawSeed = (seed: number, attempt: number) => seed + attempt * 7_919_993;

/** A size curriculum of the training stream: `steps` updates of `batchSize` examples. */
export interface SizeCurriculum {
  readonly steps: number;
  readonly batchSize: number;
}

/**
 * How many of the ascending training sizes training example `index` may draw from:
 * the state of a gated curriculum (curriculum-gate.ts), read when the example is drawn.
 */
export type OpenSizes = (index: number) => number;

/**
 * How many of the (ascending) training sizes update `update` may draw from: with a
 * curriculum over `steps` updates and m sizes, ceil(m (update + 1) / steps) during it
 * (the smallest first, one more every steps / m updates), all m afterwards.
 */
export function curriculumSizes(update: number, sizes: number, steps: number): number {
  if (update >= steps) return sizes;
  return Math.max(1, Math.min(sizes, Math.ceil((sizes * (update + 1)) / steps)));
}

/**
 * Draw `attempt` of training example number `index` (attempt 0: the plain seed stream)
 * and the size it was drawn at: the size knob comes from the train sizes (with a
 * curriculum, those open for the example: at its update for a fixed schedule, or as
 * `OpenSizes` says for a gated one), deterministically.
 */
export function trainingDraw(
  setup: TaskSetup, seed: number, curriculum?: SizeCurriculum | OpenSizes,
): (index: number, attempt: number) => { size: number; example: Example } {
  const sorted = curriculum ? [...setup.trainSizes].sort((x, y) => x - y) : setup.trainSizes;
  const perSize = sorted.map((size) => ({ size, params: setup.withSize(size) }));
  const openAt: (index: number) => number =
    curriculum === undefined ? () => perSize.length
    : typeof curriculum === 'function' ? curriculum
    : (index) => curriculumSizes(Math.floor(index / curriculum.batchSize), perSize.length, curriculum.steps);
  return (index, attempt) => {
    const exSeed = deriveExampleSeed(redrawSeed(seed, attempt), index);
    const open = openAt(index);
    const pick = Number.isInteger(open) && open >= 1 && open <= perSize.length ? perSize[exSeed % open] : undefined;
    if (!pick) throw new Error(`trainingDraw: example ${index}: ${open} open sizes of ${perSize.length}`);
    return { size: pick.size, example: generateExample(setup.task, pick.params, exSeed) };
  };
}

/**
 * Training example number `index` (`trainingDraw`); an input whose key is in `exclude`
 * (the selection and analysis sets, `heldOutKeys`) is redrawn, so the three sets share
 * no input.
 */
export function trainingStream(
  setup: TaskSetup, seed: number, exclude: ReadonlySet<string> = new Set(), curriculum?: SizeCurriculum | OpenSizes,
): (index: number) => Example {
  const draw = trainingDraw(setup, seed, curriculum);
  return excludingStream((index, attempt) => draw(index, attempt).example, exclude);
}

/**
 * The fixed-schedule size curriculum of a config (`task.curriculum: { steps }`);
 * undefined without one, and for a gated curriculum (`gateOf`, curriculum-gate.ts),
 * whose open sizes are run state rather than a function of the config.
 */
export function curriculumOf(cfg: ExperimentConfig): SizeCurriculum | undefined {
  const steps = cfg.task.curriculum?.steps;
  if (steps === undefined) return undefined;
  const { batchSize } = defaultTrainerConfig({ seed: cfg.seed, ...(cfg.trainer as Partial<TrainerConfig>) });
  return { steps, batchSize };
}

/**
 * The selection set by training size (in `task.trainSizes` order): `ceil(n / m)`
 * examples of each of the m sizes, each size from its own seed stream.
 */
export function heldOutBySize(setup: TaskSetup, seed: number, n: number): { size: number; examples: Example[] }[] {
  const per = Math.max(1, Math.ceil(n / setup.trainSizes.length));
  return setup.trainSizes.map((size, i) => ({ size, examples: sampleDataset(setup.task, setup.withSize(size), { n: per, seed: seed + 1_000_003 + i }) }));
}

/** The selection set (best checkpoint, early stopping): a fixed set mixing the training sizes (`heldOutBySize`, in order). */
export function heldOutSet(setup: TaskSetup, seed: number, n: number): Example[] {
  return heldOutBySize(setup, seed, n).flatMap((s) => s.examples);
}

/**
 * The analysis set for one size (traces and every reported accuracy): its own seed
 * stream, with any input of the selection set redrawn, so the two are disjoint.
 */
export function evalSet(setup: TaskSetup, seed: number, size: number, n: number, selection: ReadonlySet<string> = new Set()): Example[] {
  const params = setup.withSize(size);
  const draw = (i: number, attempt: number) => generateExample(setup.task, params, deriveExampleSeed(redrawSeed(seed + 2_000_003 + size, attempt), i));
  const stream = excludingStream(draw, selection, `analysis set (size ${size})`);
  return Array.from({ length: n }, (_, i) => stream(i));
}

/** Input keys of the selection set of a config. */
export const selectionKeys = (setup: TaskSetup, cfg: ExperimentConfig): Set<string> => new Set(heldOutSet(setup, cfg.seed, cfg.eval.heldOut).map(inputKey));

/** Every configured analysis example (each evaluation size, `eval.examples` each). */
export function analysisSet(setup: TaskSetup, cfg: ExperimentConfig, selection = selectionKeys(setup, cfg)): Example[] {
  return setup.evalSizes.flatMap((size) => evalSet(setup, cfg.seed, size, cfg.eval.examples, selection));
}

/** Input keys the training stream must avoid: the selection set and the configured analysis set. */
export function heldOutKeys(setup: TaskSetup, cfg: ExperimentConfig): Set<string> {
  const selection = selectionKeys(setup, cfg);
  const keys = new Set(selection);
  for (const ex of analysisSet(setup, cfg, selection)) keys.add(inputKey(ex));
  return keys;
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
 * trainer config (with what a gated curriculum needs of it) and policy options. Input
 * errors are one line, prefixed with `where`.
 */
export async function validateExperiment(cfg: ExperimentConfig, where: string): Promise<void> {
  try {
    const setup = setupTask(cfg);
    setupModelConfig(cfg, setup);
    defaultTrainerConfig({ seed: cfg.seed, ...(cfg.trainer as Partial<TrainerConfig>) });
    checkGatedCurriculum(cfg);
    const def = await loadPolicyDefinition(cfg.policy.name);
    resolvePolicyOptions(def, cfg.policy.options);
  } catch (e) {
    throw prefixed(where, e);
  }
}

/**
 * Flags shared by `anira`, `anira run` and `anira train`, and how they override the
 * experiment config (file or embedded default). With `--resume` the run's own
 * `config.json` is the config: flags may only repeat it, except a larger `--steps`
 * (an explicit extension, logged and recorded in config.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { parse as parseYaml, YAMLError } from 'yaml';
import { backendOption, nativeOption, type BackendChoice } from '../backend.js';
import { pathError } from '@anira/tasks/errors';
import { prefixed, UsageError } from '../errors.js';
import { intIn, keyValue, numericRecord } from '../parse.js';
import { defaultTrainerConfig, type TrainerConfig } from '@anira/model';
import { DEFAULT_EXPERIMENT, parseExperiment, type ExperimentConfig, type ExperimentInput } from './config.js';
import { setupModelConfig, setupTask } from './setup.js';
import { RunFolder } from './run-folder.js';

export interface ExperimentFlags {
  config?: string;
  task?: string;
  policy?: string;
  param: Record<string, string>;
  opt: Record<string, string>;
  steps?: number;
  /** trainer.patience: held-out evaluations without improvement before stopping. */
  patience?: number;
  /** trainer.evalEvery: updates between held-out evaluations (0: only at the end). */
  evalEvery?: number;
  seed?: number;
  /** `--seeds 0,1,2`: train one replica per seed, stacked into one batched model. */
  seeds?: number[];
  tmax?: number;
  out?: string;
  backend: BackendChoice;
  /** Worker threads for data-parallel training: a count, or 'auto' (cores, capped by the batch size). */
  workers: number | 'auto';
  resume: boolean;
  quiet: boolean;
}

export function addExperimentFlags(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'experiment config (.json or .yaml); default: the embedded default experiment')
    .option('--task <name>', 'task name (see `anira tasks list`)')
    .option('--policy <name|path>', 'halting policy name (see `anira policies`) or path to a policy module')
    .option('--param <key=value>', 'task parameter (repeatable)', keyValue('--param'), {})
    .option('--opt <key=value>', 'policy option (repeatable; see `anira policies`)', keyValue('--opt'), {})
    .option('--steps <n>', 'training updates', intIn('--steps', 1, 1e9))
    .option('--eval-every <n>', 'held-out evaluation every n updates (0: only at the end); trainer.evalEvery', intIn('--eval-every', 0, 1e9))
    .option('--patience <n>', 'stop after n held-out evaluations without improvement; trainer.patience', intIn('--patience', 1, 1e6))
    .option('--seed <n>', 'seed for data, initialisation and sampling', intIn('--seed', 0, 2 ** 31 - 1))
    .option('--seeds <list>', 'train one run per seed (comma-separated, e.g. 0,1,2,3) as ONE batched model with the weights stacked; each seed writes its own run folder <out>/seed-<s>', seedsFlag)
    .option('--tmax <n>', 'training T_max (iterations of the shared block)', intIn('--tmax', 1, 1024))
    .option('--out <dir>', 'run folder (default: runs/<name>, never overwriting an existing one)')
    .addOption(backendOption())
    .addOption(nativeOption())
    .option('--workers <n|auto>', 'worker threads for data-parallel training: the global batch is split across them, one optimizer update (auto: cores, capped by the batch size)', workersFlag, 1)
    .option('--resume', 'continue the run in --out from its checkpoint, with the config in its config.json (--steps N may extend it)', false)
    .option('--quiet', 'no progress output', false);
}

/** Read a JSON or YAML file as a plain object; errors name `what` (the flag or argument). */
export function readConfigFile(path: string, what = '--config'): unknown {
  if (!existsSync(path)) throw new UsageError(`${what}: file "${path}" does not exist`, { code: 'bad-path', field: what });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw prefixed(what, pathError(path, e));
  }
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError || e instanceof YAMLError)) throw e;
    throw new UsageError(`${what} ${path}: cannot parse (${e.message.split('\n')[0]!})`, { code: 'invalid-file', field: what });
  }
}

/** The effective experiment: config file (or default), then flag overrides, validated. */
export function experimentFromFlags(flags: ExperimentFlags): ExperimentConfig {
  for (const [flag, v] of [['--task', flags.task], ['--policy', flags.policy]] as const) {
    if (v !== undefined && v.trim() === '') throw new UsageError(`${flag}: must name a ${flag === '--task' ? 'task (see `anira tasks list`)' : 'policy (see `anira policies`) or a module path'}, got ""`, { field: flag, value: v });
  }
  const base = (flags.config ? readConfigFile(flags.config) : structuredClone(DEFAULT_EXPERIMENT)) as ExperimentInput;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new UsageError(`--config: the file must hold an object`);
  const cfg = { ...base } as Record<string, unknown> & ExperimentInput;
  if (flags.task !== undefined && flags.task !== base.task?.name) {
    // a different task: its own default params and sizes
    cfg.task = { name: flags.task, params: {} };
  }
  if (Object.keys(flags.param).length) {
    cfg.task = { ...cfg.task, params: { ...(cfg.task?.params ?? {}), ...numericRecord('--param', flags.param, cfg.task?.name) } };
    delete (cfg.task as Record<string, unknown>)['trainSizes'];
    delete (cfg.task as Record<string, unknown>)['evalSizes'];
  }
  if (flags.policy !== undefined && flags.policy !== base.policy?.name) cfg.policy = { name: flags.policy, options: {} };
  if (Object.keys(flags.opt).length) cfg.policy = { ...cfg.policy, options: { ...(cfg.policy?.options ?? {}), ...flags.opt } };
  if (flags.steps !== undefined) cfg.trainer = { ...(cfg.trainer ?? {}), steps: flags.steps };
  if (flags.evalEvery !== undefined) cfg.trainer = { ...(cfg.trainer ?? {}), evalEvery: flags.evalEvery };
  if (flags.patience !== undefined) cfg.trainer = { ...(cfg.trainer ?? {}), patience: flags.patience };
  if (flags.seed !== undefined) cfg.seed = flags.seed;
  if (flags.tmax !== undefined) cfg.model = { ...(cfg.model ?? {}), tMax: flags.tmax };
  if (flags.task !== undefined || flags.policy !== undefined) {
    cfg.name = [cfg.task?.name, cfg.policy?.name?.replace(/^.*[\\/]/, '').replace(/\.[cm]?js$/, '')].join('-');
  }
  return parseExperiment(cfg, flags.config ?? 'config');
}

/** The run folder: --out, or runs/<name>, then runs/<name>-2, -3... so nothing is overwritten. */
export function chooseRunDir(flags: ExperimentFlags, name: string): string {
  if (flags.out) {
    if (!flags.resume && new RunFolder(flags.out).holdsRun()) {
      throw new UsageError(`--out ${flags.out}: a run already exists there; pass --resume to continue it, or choose another folder`);
    }
    return flags.out;
  }
  if (flags.resume) throw new UsageError('--resume needs --out <run folder>');
  const base = join('runs', name);
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
}

/** Updates a config trains for (its trainer.steps, or the trainer default). */
export function configSteps(cfg: ExperimentConfig): number {
  return defaultTrainerConfig({ seed: cfg.seed, ...(cfg.trainer as Partial<TrainerConfig>) }).steps;
}

/** The first key path where two JSON values differ (undefined: equal). */
function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path || '(root)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d !== undefined) return d;
  }
  return undefined;
}

const valueAt = (v: unknown, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);

/**
 * The config of `--resume` on `folder`, which holds a run (`run`, its config.json): the run's own,
 * with flags checked against it. A conflicting flag is a one-line usage error naming
 * it; `--steps` below the run's steps is refused, above it extends the run.
 */
export function resumeConfig(flags: ExperimentFlags, run: ExperimentConfig, folder: RunFolder): { cfg: ExperimentConfig; extendedFrom?: number } {
  const { dir } = folder;
  const steps = configSteps(run);
  const refuse = (flag: string, theirs: unknown) =>
    new UsageError(
      `${flag}: the run in ${dir} has ${JSON.stringify(theirs)} (its config.json); --resume continues a run as configured, so drop the flag or start a new run with another --out`,
    );
  if (flags.config !== undefined) {
    const file = parseExperiment(readConfigFile(flags.config), flags.config);
    // a config file with fewer steps than the run's is the run before an extension
    const fileSteps = configSteps(file);
    const a = structuredClone(file) as Record<string, unknown> & ExperimentConfig;
    const b = structuredClone(run) as Record<string, unknown> & ExperimentConfig;
    if (fileSteps <= steps) {
      delete (a.trainer as Record<string, unknown>)['steps'];
      delete (b.trainer as Record<string, unknown>)['steps'];
    }
    const diff = firstDifference(a, b);
    if (diff !== undefined) {
      const hint = diff === 'trainer.steps' ? ' (extend a run with --steps N instead)' : '';
      throw new UsageError(
        `--config ${flags.config}: "${diff}" is ${JSON.stringify(valueAt(file, diff))} there, ${JSON.stringify(valueAt(run, diff))} in the run in ${dir}; --resume continues a run as configured${hint}`,
      );
    }
  }
  if (flags.task !== undefined && flags.task !== run.task.name) throw refuse(`--task ${flags.task}`, run.task.name);
  if (flags.policy !== undefined && flags.policy !== run.policy.name) throw refuse(`--policy ${flags.policy}`, run.policy.name);
  if (flags.seed !== undefined && flags.seed !== run.seed) throw refuse(`--seed ${flags.seed}`, run.seed);
  const trainer = defaultTrainerConfig({ seed: run.seed, ...(run.trainer as Partial<TrainerConfig>) });
  if (flags.evalEvery !== undefined && flags.evalEvery !== trainer.evalEvery) throw refuse(`--eval-every ${flags.evalEvery}`, trainer.evalEvery);
  if (flags.patience !== undefined && flags.patience !== trainer.patience) throw refuse(`--patience ${flags.patience}`, trainer.patience ?? null);
  const setup = Object.keys(flags.param).length || flags.tmax !== undefined ? setupTask(run) : undefined;
  for (const [k, v] of Object.entries(numericRecord('--param', flags.param, run.task.name))) {
    const given = setup!.task.resolveParams({ ...setup!.params, [k]: v } as Readonly<Record<string, number>>)[k];
    if (setup!.params[k] !== given) throw refuse(`--param ${k}=${v}`, setup!.params[k] ?? null);
  }
  for (const [k, v] of Object.entries(flags.opt)) {
    const theirs = run.policy.options[k];
    if (theirs === undefined || String(theirs) !== v) throw refuse(`--opt ${k}=${v}`, theirs ?? null);
  }
  if (flags.tmax !== undefined) {
    const tMax = setupModelConfig(run, setup!).tMax;
    if (flags.tmax !== tMax) throw refuse(`--tmax ${flags.tmax}`, tMax);
  }
  if (flags.steps === undefined || flags.steps === steps) return { cfg: run };
  if (flags.steps < steps) {
    throw new UsageError(`--steps ${flags.steps}: the run in ${dir} is configured for ${steps} updates; --resume can only extend a run (a --steps above ${steps})`);
  }
  return { cfg: parseExperiment({ ...run, trainer: { ...run.trainer, steps: flags.steps } }, folder.config), extendedFrom: steps };
}

/** Parse `--seeds`: distinct integers in [0, 2^31 - 1], comma-separated, at least one. */
export function seedsFlag(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  const seeds = parts.map((p) => intIn('--seeds', 0, 2 ** 31 - 1)(p));
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) throw new InvalidArgumentError(`--seeds must list distinct seeds, got ${dup} twice in "${raw}"`);
  if (seeds.length > 1024) throw new InvalidArgumentError(`--seeds must list 1 to 1024 seeds, got ${seeds.length}`);
  return seeds;
}

/** Parse `--workers`: an integer in [1, 1024] or `auto`. */
function workersFlag(raw: string): number | 'auto' {
  if (raw === 'auto') return 'auto';
  return intIn('--workers', 1, 1024)(raw);
}

/** The worker count of a run: `auto` is the machine's cores; either way capped by the batch size. */
export function resolveWorkers(flag: number | 'auto', cfg: ExperimentConfig): number {
  const batch = (cfg.trainer as { batchSize?: number }).batchSize ?? defaultTrainerConfig().batchSize;
  const wanted = flag === 'auto' ? availableParallelism() : flag;
  return Math.max(1, Math.min(wanted, batch));
}

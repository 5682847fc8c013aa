/**
 * Sweep specs: a base experiment plus a grid of values, expanded into runs in a
 * deterministic order (the cartesian product, keys in spec order, values in list
 * order). Grid keys are dotted paths into the experiment config, e.g. `task`,
 * `policy`, `seed`, `model.tMax`, `policy.options.beta`. The key `recipe` is special:
 * its values are named bundles, `{ name: d128-warm, model.dModel: 128,
 * trainer.warmStartSteps: 300 }`, each field but `name` a dotted path set on the run
 * (the run id shows `recipe=<name>`), so one grid axis can vary several settings
 * together. In any string of a run's config, `{seed}` becomes the run's seed (e.g.
 * `init.from: runs/full-depth/seed={seed}`: each seed starts from its own source, and
 * the runs still differ only in their seed for the seed-level tables). Validated up
 * front: a bad key or value is reported with its path before anything runs.
 */
import { z } from 'zod';
import { parseExperiment, safeName, type ExperimentConfig } from '../experiment/config.js';
import { UsageError } from '../errors.js';

export const sweepSchema = z
  .object({
    /** The sweep folder's name under `runs/`: one safe path segment. */
    name: safeName,
    /** Fields shared by every run (an experiment config, possibly partial). */
    base: z.record(z.string(), z.unknown()).default({}),
    /** Dotted path -> list of values. */
    grid: z.record(z.string(), z.array(z.unknown()).min(1)),
    /** Train the runs that differ only in `seed` as one stacked model (see `anira sweep --stack-seeds`). */
    stackSeeds: z.boolean().default(false),
  })
  .strict();

export interface SweepRun {
  /** Position in the full expansion (used for sharding). */
  readonly index: number;
  /** Stable folder name derived from the grid values. */
  readonly id: string;
  /** Grid values of this run by key. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly config: ExperimentConfig;
}

export interface Sweep {
  readonly name: string;
  readonly keys: readonly string[];
  readonly runs: readonly SweepRun[];
  /** The spec asks for runs differing only in `seed` to train as one stacked model. */
  readonly stackSeeds: boolean;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    cur[p] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Set every dotted path of a named recipe bundle (all fields but `name`) on `cfg`. */
function applyRecipe(cfg: Record<string, unknown>, recipe: unknown, source: string): void {
  if (recipe === null || typeof recipe !== 'object' || Array.isArray(recipe) || typeof (recipe as { name?: unknown }).name !== 'string') {
    throw new Error(`${source}: "grid.recipe": each recipe must be an object with a "name" and dotted paths to set, got ${JSON.stringify(recipe)}`);
  }
  for (const [path, value] of Object.entries(recipe)) if (path !== 'name') setPath(cfg, path, structuredClone(value));
}

function label(v: unknown): string {
  if (v !== null && typeof v === 'object' && 'name' in v) return String((v as { name: unknown }).name).replace(/^.*[\\/]/, '').replace(/\.[cm]?js$/, '');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** `v` with `{seed}` replaced by `seed` in every string it holds (objects and arrays walked). */
function withSeed(v: unknown, seed: number): unknown {
  if (typeof v === 'string') return v.replaceAll('{seed}', String(seed));
  if (Array.isArray(v)) return v.map((x) => withSeed(x, seed));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withSeed(x, seed)]));
  return v;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9_.=,-]+/g, '_').slice(0, 80);

/** Validate and expand a sweep spec; throws one-line errors naming the key. */
export function expandSweep(value: unknown, source = 'sweep spec'): Sweep {
  const r = sweepSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const extra = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    throw new UsageError(`${source}: "${issue.path.join('.') || '(root)'}": ${issue.message}${extra}`);
  }
  const spec = r.data;
  const keys = Object.keys(spec.grid);
  if (keys.length === 0) throw new UsageError(`${source}: "grid" must have at least one key`);
  const combos: Record<string, unknown>[] = [{}];
  for (const key of keys) {
    const next: Record<string, unknown>[] = [];
    for (const c of combos) for (const v of spec.grid[key]!) next.push({ ...c, [key]: v });
    combos.splice(0, combos.length, ...next);
  }
  const seen = new Set<string>();
  const runs = combos.map((values, index) => {
    const cfg = structuredClone(spec.base) as Record<string, unknown>;
    for (const key of keys) {
      if (key === 'recipe') applyRecipe(cfg, values[key], source);
      else setPath(cfg, key, structuredClone(values[key]));
    }
    const id = slug(keys.map((k) => `${k.split('.').pop()}=${label(values[k])}`).join(','));
    if (seen.has(id)) throw new UsageError(`${source}: grid values produce the same run folder "${id}" twice`);
    seen.add(id);
    cfg['name'] = `${spec.name}/${id}`;
    const parsed = parseExperiment(cfg, `${source} run ${index} (${id})`);
    return { index, id, values, config: parseExperiment(withSeed(parsed, parsed.seed), `${source} run ${index} (${id})`) };
  });
  return { name: spec.name, keys, runs, stackSeeds: spec.stackSeeds };
}

/**
 * `anira sweep <spec>` runs a grid of experiments (resumable, shardable across batch
 * engines), and `anira sweep merge <dirs...>` aggregates shard folders. `--jobs N`
 * runs N runs at once, each in a child process (the built CLI with the hidden
 * `--only <run id>`, which takes the single-run path), output prefixed by the run id;
 * a failed child fails the sweep after the others finish. Each run folder's lock
 * keeps two workers (shards, jobs) off the same run: a locked run is skipped.
 */
import { Command, Option } from 'commander';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { backendOption, nativeOption, setupBackend, type BackendChoice } from '../backend.js';
import { RunFailure, UsageError } from '../errors.js';
import { RunLockedError } from '../experiment/run-lock.js';
import { featureSet, intIn } from '../parse.js';
import { readConfigFile } from '../experiment/flags.js';
import { validateExperiment } from '../experiment/setup.js';
import { gateOf } from '../experiment/curriculum-gate.js';
import { writeJsonAtomic } from '../fs-atomic.js';
import { executeRun, executeStacked } from './run.js';
import { RunFolder } from '../experiment/run-folder.js';
import { expandSweep, type SweepRun } from '../sweep/spec.js';
import { resolveShard, selectShard } from '../sweep/shard.js';
import { mergeSweeps } from '../sweep/merge.js';

const fmtTime = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)}h` : s >= 60 ? `${(s / 60).toFixed(1)}m` : `${s.toFixed(0)}s`);

interface SweepFlags {
  out?: string;
  shard?: string;
  shards?: number;
  jobs: number;
  /** Internal (the children of --jobs): run only the run with this id. */
  only?: string;
  backend: BackendChoice;
  dryRun: boolean;
  /** Train the runs that differ only in their seed as one stacked model. */
  stackSeeds: boolean;
}

/** `--jobs`: a count in [1, 256], or `auto` (the number of cores). */
function parseJobs(v: string): number {
  if (v === 'auto') return availableParallelism();
  return intIn('--jobs', 1, 256)(v);
}

type Outcome = 'done' | 'complete' | 'locked' | 'failed';

/** The folder of one sweep run: `<sweep folder>/<run id>`. */
const runFolder = (out: string, run: SweepRun) => new RunFolder(join(out, run.id));

/** Run one sweep run in this process (quiet: no log or progress lines); a run locked by another worker is skipped with a note. */
async function runOne(run: SweepRun, out: string, backend: string, quiet = true): Promise<Outcome> {
  try {
    const r = await executeRun(run.config, runFolder(out, run), { mode: 'run', resume: true, quiet, backend });
    return r.complete ? 'complete' : 'done';
  } catch (e) {
    if (e instanceof RunLockedError) {
      process.stderr.write(`sweep: skipping ${run.id}: ${e.message}\n`);
      return 'locked';
    }
    throw e;
  }
}

/** Run one sweep run in a child process (the built CLI, `--only <id>`), its output lines prefixed by the run id. */
function runChild(specPath: string, run: SweepRun, out: string, o: SweepFlags): Promise<Outcome> {
  const args = [process.argv[1]!, 'sweep', specPath, '--out', out, '--only', run.id, '--backend', o.backend];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const prefix = (stream: NodeJS.ReadableStream, to: NodeJS.WriteStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (!/^outcome \w+$/.test(line)) to.write(`[${run.id}] ${line}\n`);
    });
    stream.on('end', () => {
      if (rest) to.write(`[${run.id}] ${rest}\n`);
    });
  };
  prefix(child.stdout, process.stderr);
  prefix(child.stderr, process.stderr);
  return new Promise((resolve) => {
    let outcome: Outcome = 'done';
    child.stdout.on('data', (c: Buffer) => {
      const m = /outcome (done|complete|locked)/.exec(c.toString());
      if (m) outcome = m[1] as Outcome;
    });
    child.on('error', () => resolve('failed'));
    child.on('close', (code) => resolve(code === 0 ? outcome : 'failed'));
  });
}

/** The runs in groups that differ only in their seed (first appearance order); a group may hold one run. */
export function seedGroups(runs: readonly SweepRun[]): SweepRun[][] {
  const groups = new Map<string, SweepRun[]>();
  for (const run of runs) {
    const { seed: _seed, name: _name, ...rest } = run.config;
    const key = JSON.stringify(rest);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()];
}

/**
 * Run a group of runs differing only in their seed: folders that exist (resume,
 * complete) take the one-run path; two or more fresh ones train as one stacked model,
 * unless their curriculum is gated (`task.curriculum.gate`, which stacked seeds do not
 * support): those train one by one.
 */
async function runSeedGroup(group: readonly SweepRun[], out: string, backend: string, finish: (run: SweepRun, outcome: Outcome) => void): Promise<void> {
  const first = group[0];
  if (first && gateOf(first.config)) {
    if (group.length > 1) process.stderr.write(`sweep: ${group.map((r) => r.id).join(', ')}: a gated curriculum (task.curriculum.gate) is not stacked; training these runs one by one\n`);
    for (const run of group) finish(run, await runOne(run, out, backend));
    return;
  }
  const fresh = group.filter((r) => !runFolder(out, r).holdsRun());
  for (const run of group.filter((r) => !fresh.includes(r))) finish(run, await runOne(run, out, backend));
  if (fresh.length < 2) {
    for (const run of fresh) finish(run, await runOne(run, out, backend));
    return;
  }
  let results: Awaited<ReturnType<typeof executeStacked>>;
  try {
    results = await executeStacked(fresh.map((r) => r.config), fresh.map((r) => runFolder(out, r)), { mode: 'run', backend, quiet: true });
  } catch (e) {
    if (!(e instanceof RunLockedError)) throw e;
    for (const run of fresh) finish(run, await runOne(run, out, backend)); // another worker holds one: run them one by one (locked ones are skipped)
    return;
  }
  fresh.forEach((run, k) => {
    const r = results[k];
    if (r instanceof RunFailure) process.stderr.write(`[${run.id}] ${r.message}\n`);
    finish(run, r instanceof RunFailure ? 'failed' : 'done');
  });
}

async function runSweep(specPath: string, o: SweepFlags): Promise<void> {
  const sweep = expandSweep(readConfigFile(specPath, 'sweep spec'), specPath);
  const out = o.out ?? join('runs', sweep.name);
  if (o.only !== undefined) {
    // a child of --jobs: one run, in this process (the single-run code path)
    const run = sweep.runs.find((r) => r.id === o.only);
    if (!run) throw new UsageError(`--only ${o.only}: no such run in ${specPath}`);
    const backend = await setupBackend(o.backend);
    // its log and progress lines reach the parent, which prefixes each with [run id]
    process.stdout.write(`outcome ${await runOne(run, out, backend.name, false)}\n`);
    return;
  }
  for (const run of sweep.runs) await validateExperiment(run.config, `${specPath} run ${run.index} (${run.id})`);
  const shard = resolveShard(o.shard, o.shards);
  const mine = selectShard(sweep.runs, shard);
  process.stderr.write(
    `sweep ${sweep.name}: ${sweep.runs.length} runs in the grid; shard ${shard.index}/${shard.count} (${shard.source}) has ${mine.length}; folder ${out}${o.jobs > 1 ? `; ${o.jobs} jobs` : ''}\n`,
  );
  const stack = o.stackSeeds || sweep.stackSeeds;
  if (stack && o.jobs > 1) throw new UsageError(`--jobs ${o.jobs}: stacked seeds train in this process; drop --jobs or the stacking (--stack-seeds / "stackSeeds")`);
  if (o.dryRun) {
    for (const r of mine) process.stdout.write(`${r.index}\t${r.id}\n`);
    return;
  }
  const backend = await setupBackend(o.backend);
  if (backend.notice) process.stderr.write(`${backend.notice}\n`);
  writeJsonAtomic(join(out, 'sweep.json'), { name: sweep.name, keys: sweep.keys, runs: sweep.runs.map((r) => ({ index: r.index, id: r.id, values: r.values })) });
  const started = Date.now();
  let done = 0;
  let skipped = 0;
  let executed = 0;
  const failed: string[] = [];
  const finish = (run: SweepRun, outcome: Outcome) => {
    done++;
    if (outcome === 'complete' || outcome === 'locked') skipped++;
    else executed++;
    if (outcome === 'failed') failed.push(run.id);
    const elapsed = (Date.now() - started) / 1000;
    const eta = executed > 0 ? (elapsed / executed) * (mine.length - done) / Math.max(1, o.jobs) : 0;
    const note = outcome === 'failed' ? ' FAILED' : outcome === 'locked' ? ' (skipped: locked by another worker)' : '';
    process.stderr.write(`sweep ${sweep.name}: ${done}/${mine.length} runs done (${skipped} already complete), elapsed ${fmtTime(elapsed)}, ETA ${fmtTime(eta)} — ${run.id}${note}\n`);
  };
  if (stack) {
    for (const group of seedGroups(mine)) await runSeedGroup(group, out, backend.name, finish);
  } else if (o.jobs <= 1) {
    for (const run of mine) finish(run, await runOne(run, out, backend.name));
  } else {
    const queue = [...mine];
    const worker = async () => {
      for (let run = queue.shift(); run; run = queue.shift()) finish(run, await runChild(specPath, run, out, o));
    };
    await Promise.all(Array.from({ length: Math.min(o.jobs, mine.length) }, worker));
  }
  if (failed.length) throw new RunFailure(`sweep ${sweep.name}: ${failed.length} of ${mine.length} runs failed: ${failed.join(', ')} (their output is above, prefixed by the run)`);
  process.stdout.write(`sweep ${sweep.name}: shard ${shard.index}/${shard.count} complete in ${out}\n`);
}

export function sweepCommand(): Command {
  const cmd = new Command('sweep')
    .description('Run a grid of experiments from a JSON/YAML spec (resumable; shardable with --shard i/n, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID).')
    .argument('<spec>', 'sweep spec (.json or .yaml); see docs/distributed.md')
    .option('--out <dir>', 'sweep folder (default: runs/<sweep name>)')
    .option('--shard <i/n>', 'run only shard i of n (runs with index mod n = i)')
    .option('--shards <n>', 'number of shards when the index comes from the environment', intIn('--shards', 1, 1_000_000))
    .option('--jobs <n|auto>', 'runs at once, each in its own process (auto: one per core)', parseJobs, 1)
    .addOption(new Option('--only <run id>', 'run only this run of the grid (used by --jobs)').hideHelp())
    .addOption(backendOption())
    .addOption(nativeOption())
    .option('--dry-run', 'validate the spec and list this shard\'s runs without running them', false)
    .option('--stack-seeds', 'train the runs that differ only in their seed as one stacked model (as `anira train --seeds`); also the spec\'s "stackSeeds": true', false)
    .enablePositionalOptions()
    .action((spec: string, o: SweepFlags) => runSweep(spec, o));
  cmd
    .command('merge')
    .description('Aggregate finished runs from sweep (shard) folders into one table and one report.')
    .argument('<dirs...>', 'sweep folders (each may hold run folders, possibly one level deeper)')
    .requiredOption('--out <dir>', 'output folder for results.csv, results.txt and report/')
    .option('--no-report', 'skip the HTML report')
    .option('--feature-set <name=a,b,...>', 'decision timing: also drop and fit these features together (repeatable), e.g. "hub structure=hub,hubs,max_degree"', featureSet('--feature-set'))
    .action(async (dirs: string[], o: { out: string; report: boolean; featureSet?: Record<string, string[]> }) => {
      const { table, runs } = await mergeSweeps(dirs, o.out, { report: o.report, ...(o.featureSet ? { featureSets: o.featureSet } : {}) });
      process.stdout.write(`${table}\n\n${runs} runs merged into ${o.out}\n`);
    });
  return cmd;
}

/**
 * `anira sweep <spec>` runs a grid of experiments (resumable, shardable across batch
 * engines), and `anira sweep merge <dirs...>` aggregates shard folders.
 */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backendOption, setupBackend, type BackendChoice } from '../backend.js';
import { asUsage, UsageError } from '../errors.js';
import { intIn } from '../parse.js';
import { readConfigFile } from '../experiment/flags.js';
import { validateExperiment } from '../experiment/setup.js';
import { runFiles } from '../experiment/run-dir.js';
import { writeJsonAtomic } from '../fs-atomic.js';
import { executeRun } from './run.js';
import { expandSweep } from '../sweep/spec.js';
import { resolveShard, selectShard } from '../sweep/shard.js';
import { mergeSweeps } from '../sweep/merge.js';

const fmtTime = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)}h` : s >= 60 ? `${(s / 60).toFixed(1)}m` : `${s.toFixed(0)}s`);

interface SweepFlags {
  out?: string;
  shard?: string;
  shards?: number;
  backend: BackendChoice;
  dryRun: boolean;
}

async function runSweep(specPath: string, o: SweepFlags): Promise<void> {
  const sweep = asUsage(() => expandSweep(readConfigFile(specPath, 'sweep spec'), specPath));
  for (const run of sweep.runs) await validateExperiment(run.config, `${specPath} run ${run.index} (${run.id})`);
  const shard = asUsage(() => resolveShard(o.shard, o.shards));
  const mine = selectShard(sweep.runs, shard);
  const out = o.out ?? join('runs', sweep.name);
  process.stderr.write(`sweep ${sweep.name}: ${sweep.runs.length} runs in the grid; shard ${shard.index}/${shard.count} (${shard.source}) has ${mine.length}; folder ${out}\n`);
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
  for (const run of mine) {
    const dir = join(out, run.id);
    if (existsSync(runFiles(dir).summary)) {
      skipped++;
    } else {
      const resume = existsSync(runFiles(dir).checkpoint);
      await executeRun(run.config, dir, { mode: 'run', resume, quiet: true, backend: backend.name });
      executed++;
    }
    done++;
    const elapsed = (Date.now() - started) / 1000;
    const eta = executed > 0 ? (elapsed / executed) * (mine.length - done) : 0;
    process.stderr.write(`sweep ${sweep.name}: ${done}/${mine.length} runs done (${skipped} already complete), elapsed ${fmtTime(elapsed)}, ETA ${fmtTime(eta)} — ${run.id}\n`);
  }
  process.stdout.write(`sweep ${sweep.name}: shard ${shard.index}/${shard.count} complete in ${out}\n`);
}

export function sweepCommand(): Command {
  const cmd = new Command('sweep')
    .description('Run a grid of experiments from a JSON/YAML spec (resumable; shardable with --shard i/n, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID).')
    .argument('<spec>', 'sweep spec (.json or .yaml); see docs/distributed.md')
    .option('--out <dir>', 'sweep folder (default: runs/<sweep name>)')
    .option('--shard <i/n>', 'run only shard i of n (runs with index mod n = i)')
    .option('--shards <n>', 'number of shards when the index comes from the environment', intIn('--shards', 1, 1_000_000))
    .addOption(backendOption())
    .option('--dry-run', 'validate the spec and list this shard\'s runs without running them', false)
    .enablePositionalOptions()
    .action((spec: string, o: SweepFlags) => runSweep(spec, o));
  cmd
    .command('merge')
    .description('Aggregate finished runs from sweep (shard) folders into one table and one report.')
    .argument('<dirs...>', 'sweep folders (each may hold run folders, possibly one level deeper)')
    .requiredOption('--out <dir>', 'output folder for results.csv, results.txt and report/')
    .option('--no-report', 'skip the HTML report')
    .action(async (dirs: string[], o: { out: string; report: boolean }) => {
      const { table, runs } = await mergeSweeps(dirs, o.out, o.report).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      process.stdout.write(`${table}\n\n${runs} runs merged into ${o.out}\n`);
    });
  return cmd;
}

/**
 * A real Slurm cluster in the test suite: a single-node cluster (tools/scripts/
 * slurm-cluster.mjs) runs the sbatch script of docs/distributed.md, taken verbatim by
 * its `tested:` tag, as a 2-task job array over a tiny paper-style sweep; the merged
 * results must equal the same sweep run locally in one process. Runs as root on Linux
 * (installing Debian's slurm and munge packages when missing); skipped with the reason
 * printed otherwise. The daemons it started are stopped afterwards, pass or fail.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cliBin, docBlock, repoRoot } from './repo.js';
import { comparableSummary, runFolders, TINY_RUNS, TINY_SPEC } from './tiny-sweep.js';

const clusterScript = join(repoRoot, 'tools', 'scripts', 'slurm-cluster.mjs');
const work = mkdtempSync(join(tmpdir(), 'anira-slurm-test-'));
chmodSync(work, 0o755); // munged wants every folder above its socket searchable by all
const clusterDir = join(work, 'cluster');
let skipReason: string | undefined;
let started = false;

const show = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n${r.stdout}\n${r.stderr}`;
const cluster = (...args: string[]) => spawnSync(process.execPath, [clusterScript, ...args], { encoding: 'utf8', timeout: 600_000 });
/** The environment without shard variables, so a test run inside a batch job does not shard its local sweep. */
const unsharded = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_') && k !== 'JOB_COMPLETION_INDEX'));
const anira = (args: string[]) => spawnSync(process.execPath, [cliBin, ...args], { cwd: work, encoding: 'utf8', env: { ...unsharded(), NO_COLOR: '1' } });
const slurmEnv = () => ({ ...unsharded(), SLURM_CONF: join(clusterDir, 'slurm.conf'), NO_COLOR: '1' });

beforeAll(() => {
  assertCliBuilt();
  const install = cluster('install');
  if (install.status === 3) {
    skipReason = install.stderr.trim();
    console.warn(`skipping the Slurm cluster test: ${skipReason}`);
    return;
  }
  expect(install.status, show(install)).toBe(0);
  started = true; // from here on, stop whatever the start below managed to launch
  const start = cluster('start', clusterDir);
  expect(start.status, show(start)).toBe(0);
}, 600_000);

afterAll(() => {
  if (started) {
    const stop = cluster('stop', clusterDir);
    if (stop.status !== 0) console.warn(`stopping the Slurm test cluster failed: ${show(stop)}`);
  }
  rmSync(work, { recursive: true, force: true });
});

describe('Slurm: the docs/distributed.md job array on a one-node cluster', () => {
  it('runs a 2-shard array whose merge equals the same sweep run locally', (ctx) => {
    if (skipReason !== undefined) ctx.skip(skipReason);
    const spec = join(work, 'tiny.yaml');
    writeFileSync(spec, TINY_SPEC);
    // the docs' install folder: npm init -y, then the anira bin where `npm install
    // @anira/cli` puts it (the built CLI stands in for the published package)
    const install = join(work, 'anira');
    mkdirSync(join(install, 'node_modules', '.bin'), { recursive: true });
    const init = spawnSync('npm', ['init', '-y', '--loglevel=error'], { cwd: install, encoding: 'utf8' });
    expect(init.status, show(init)).toBe(0);
    chmodSync(cliBin, 0o755); // npm install makes a package's bin executable
    symlinkSync(cliBin, join(install, 'node_modules', '.bin', 'anira'));
    const script = join(install, 'sweep.sbatch');
    writeFileSync(script, docBlock('slurm-sweep-sbatch'));
    const logs = join(work, 'logs');
    mkdirSync(logs);

    // the docs' script as is; command-line options override its #SBATCH lines
    const slurmOut = join(work, 'slurm', 'tiny');
    const sb = spawnSync('/usr/bin/sbatch', ['--wait', '--array=0-1', `--output=${logs}/%x-%a.out`, script, spec, slurmOut], {
      cwd: install, // the script cds to the submit dir and runs `npx --no -- anira` there
      encoding: 'utf8',
      env: slurmEnv(),
      timeout: 300_000,
    });
    const taskLogs = [0, 1].map((i) => {
      try {
        return readFileSync(join(logs, `anira-sweep-${i}.out`), 'utf8');
      } catch {
        return `(no log for task ${i})`;
      }
    });
    expect(sb.status, `${show(sb)}\n${taskLogs.join('\n')}`).toBe(0);
    expect(sb.stdout).toMatch(/Submitted batch job \d+/);
    // each array task ran exactly its shard, picked from SLURM_ARRAY_TASK_ID/COUNT
    for (const i of [0, 1]) {
      expect(taskLogs[i]).toMatch(new RegExp(`2 runs in the grid; shard ${i}/2 \\(SLURM_ARRAY_TASK_ID\\) has 1`));
      expect(taskLogs[i]).toMatch(/1\/1 runs done \(0 already complete\)/);
    }
    expect(runFolders(slurmOut)).toEqual(TINY_RUNS);

    const localOut = join(work, 'local', 'tiny');
    const local = anira(['sweep', spec, '--out', localOut]);
    expect(local.status, show(local)).toBe(0);
    expect(local.stderr).toMatch(/shard 0\/1 \(none\) has 2/);
    expect(runFolders(localOut)).toEqual(TINY_RUNS);

    for (const [from, to] of [[slurmOut, 'slurm-merged'], [localOut, 'local-merged']] as const) {
      const m = anira(['sweep', 'merge', from, '--out', join(work, to)]);
      expect(m.status, show(m)).toBe(0);
      expect(m.stdout).toMatch(/2 runs merged/);
    }
    const merged = (dir: string, f: string) => readFileSync(join(work, dir, f), 'utf8');
    expect(merged('slurm-merged', 'results.csv').trim().split('\n')).toHaveLength(1 + TINY_RUNS.length);
    for (const f of ['results.csv', 'results.txt', 'results.md']) expect(merged('slurm-merged', f), f).toBe(merged('local-merged', f));
    for (const run of TINY_RUNS) {
      const [s, l] = [join(slurmOut, run), join(localOut, run)];
      expect(comparableSummary(s), `${run}/summary.json`).toEqual(comparableSummary(l));
      expect(readFileSync(join(s, 'trace.jsonl')).equals(readFileSync(join(l, 'trace.jsonl'))), `${run}/trace.jsonl`).toBe(true);
      expect(readFileSync(join(s, 'best.anira')).equals(readFileSync(join(l, 'best.anira'))), `${run}/best.anira`).toBe(true);
    }
  }, 300_000);
});

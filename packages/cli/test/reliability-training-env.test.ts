/**
 * The environment failing under a run (issue 14): a full disk and a read-only
 * filesystem, on small tmpfs mounts (root only; skipped with the reason otherwise),
 * and sweep workers: `--jobs 2` equals `--jobs 1`, a locked run is skipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anira, assertBuilt } from './built-cli.js';

let cwd: string;
const mounts: string[] = [];
const base = {
  task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1] },
  model: { dModel: 8, nHeads: 2, tMax: 2 },
  policy: { name: 'fixed' },
  trainer: { steps: 40, batchSize: 4, evalEvery: 0, warmupSteps: 0 },
  eval: { examples: 4, heldOut: 4, tMax: [] },
  checkpointEvery: 10,
};

/** Mount a tmpfs of `size` at a fresh folder; undefined (and the reason printed) when not possible. */
function tmpfs(size: string, ro = false): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    console.log(`skipped: tmpfs tests need root on Linux (uid ${process.getuid?.() ?? 'n/a'})`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'anira-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${ro ? ',ro' : ''}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`skipped: cannot mount a tmpfs (${r.stderr.trim() || r.error?.message})`);
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

beforeAll(() => {
  assertBuilt();
  cwd = mkdtempSync(join(tmpdir(), 'anira-reliability-env-'));
  writeFileSync(join(cwd, 'cfg.json'), JSON.stringify({ ...base, name: 'env' }));
});
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
});

describe('full and read-only filesystems', () => {
  it('disk full: one line naming the file and the last saved update, exit 1; a resume finishes once space is freed', () => {
    const mnt = tmpfs('48k');
    if (!mnt) return;
    const dir = join(mnt, 'x');
    const r = anira(['train', '--config', 'cfg.json', '--out', dir, '--quiet'], cwd);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const m = /^anira: disk full while writing (\S+); the run is intact up to update (\d+)$/.exec(r.stderr.trim());
    expect(m, r.stderr).not.toBeNull();
    expect(m![1]!.startsWith(dir)).toBe(true);
    expect(existsSync(join(dir, 'config.json'))).toBe(true);
    // free space: move the run to a roomy folder and resume there
    const roomy = join(cwd, 'moved');
    cpSync(dir, roomy, { recursive: true });
    const resumed = anira(['train', '--resume', '--out', roomy, '--quiet'], cwd);
    expect(resumed.status, resumed.stderr).toBe(0);
    const steps = readFileSync(join(roomy, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('read-only filesystem: one line, exit 1', () => {
    const mnt = tmpfs('1m', true);
    if (!mnt) return;
    const r = anira(['train', '--config', 'cfg.json', '--out', join(mnt, 'x'), '--quiet'], cwd, 30_000);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^anira: --out .*: cannot create folder .*EROFS/);
  });
});

describe('sweep workers', () => {
  const spec = {
    name: 'jobs',
    base: { ...base, trainer: { ...base.trainer, steps: 6, evalEvery: 3 } },
    grid: { seed: [0, 1] },
  };

  it('--jobs 2 gives the same summaries as --jobs 1, with output prefixed by the run', () => {
    writeFileSync(join(cwd, 'spec.json'), JSON.stringify(spec));
    const one = anira(['sweep', 'spec.json', '--out', 'one', '--jobs', '1'], cwd);
    expect(one.status, one.stderr).toBe(0);
    const two = anira(['sweep', 'spec.json', '--out', 'two', '--jobs', '2'], cwd);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/2 jobs/);
    expect(two.stderr).toMatch(/2\/2 runs done/);
    // each child's log lines reach the terminal (a pipe here, not a TTY), prefixed by its run
    for (const id of ['seed=0', 'seed=1']) {
      expect(two.stderr).toContain(`[${id}] anira: run "jobs/${id}"`);
      expect(two.stderr).toMatch(new RegExp(`^\\[${id}\\] anira: trained 6 updates in `, 'm'));
    }
    for (const id of ['seed=0', 'seed=1']) {
      const read = (d: string) => {
        const s = JSON.parse(readFileSync(join(cwd, d, id, 'summary.json'), 'utf8')) as Record<string, unknown>;
        delete s['trainSeconds'];
        return s;
      };
      expect(read('two')).toEqual(read('one'));
      expect(readFileSync(join(cwd, 'two', id, 'checkpoint.anira'))).toEqual(readFileSync(join(cwd, 'one', id, 'checkpoint.anira')));
    }
  });

  it('skips a run locked by another worker with a note, and names failed runs', () => {
    writeFileSync(join(cwd, 'spec2.json'), JSON.stringify({ ...spec, name: 'locks' }));
    mkdirSync(join(cwd, 'locks', 'seed=1'), { recursive: true });
    writeFileSync(join(cwd, 'locks', 'seed=1', '.anira.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: 'now' }));
    const r = anira(['sweep', 'spec2.json', '--out', 'locks', '--jobs', '2'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipping seed=1: run folder .* is in use by pid/);
    expect(existsSync(join(cwd, 'locks', 'seed=0', 'summary.json'))).toBe(true);
    expect(existsSync(join(cwd, 'locks', 'seed=1', 'summary.json'))).toBe(false);
    // a run that fails (its folder is a file): the sweep finishes the other and exits 1 naming it
    writeFileSync(join(cwd, 'spec3.json'), JSON.stringify({ ...spec, name: 'fails' }));
    mkdirSync(join(cwd, 'fails'));
    writeFileSync(join(cwd, 'fails', 'seed=0'), 'not a folder');
    const f = anira(['sweep', 'spec3.json', '--out', 'fails', '--jobs', '2'], cwd);
    expect(f.status).toBe(1);
    expect(f.stderr).toMatch(/\[seed=0\] anira: --out .*not a folder/);
    expect(f.stderr.trim().split('\n').at(-1)).toMatch(/^anira: sweep fails: 1 of 2 runs failed: seed=0/);
    expect(existsSync(join(cwd, 'fails', 'seed=1', 'summary.json'))).toBe(true);
  });
});

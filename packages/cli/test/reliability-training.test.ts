/**
 * Training integrity of the built CLI in plain node (issue 14): non-finite training,
 * the run-folder lock, resume semantics, forged and flipped checkpoint headers, temp
 * files of killed writes, bad --out folders. Tiny runs (dModel 8, a few dozen updates).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anira, assertBuilt, BIN } from './built-cli.js';

let cwd: string;
const base = {
  task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1] },
  model: { dModel: 8, nHeads: 2, tMax: 2 },
  policy: { name: 'fixed' },
  trainer: { steps: 20, batchSize: 4, evalEvery: 5, warmupSteps: 0 },
  eval: { examples: 4, heldOut: 4, tMax: [] },
  checkpointEvery: 5,
};
const write = (name: string, value: unknown) => {
  writeFileSync(join(cwd, name), JSON.stringify(value));
  return name;
};
const oneLine = (s: string) => s.trim().split('\n');
/** A pid that is certainly dead: a process that already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const ckptStep = (path: string) => {
  const b = readFileSync(path);
  return (JSON.parse(b.subarray(12, 12 + b.readUInt32LE(8)).toString()) as { meta: { step: number } }).meta.step;
};

beforeAll(() => {
  assertBuilt();
  cwd = mkdtempSync(join(tmpdir(), 'anira-reliability-'));
});

describe('non-finite training', () => {
  it('stops at the first NaN update with one line and exit 1, keeping the last finite checkpoint', () => {
    const cfg = write('nan.json', { ...base, name: 'nan', trainer: { steps: 30, batchSize: 4, lr: 10, weightDecay: 1, clipNorm: 1e9, warmupSteps: 0, evalEvery: 0 } });
    const r = anira(['train', '--config', cfg, '--out', 'nan', '--quiet', '--backend', 'cpu'], cwd);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^anira: training diverged at update (\d+): (loss|gradient norm) is (NaN|-?Infinity).*keeps update (\d+)/);
    const [, update, kept] = /update (\d+):.*keeps update (\d+)/.exec(r.stderr)!.map(Number) as number[];
    expect(kept).toBe(Math.floor((update! - 1) / 5) * 5);
    expect(ckptStep(join(cwd, 'nan', 'checkpoint.anira'))).toBe(kept);
    expect(existsSync(join(cwd, 'nan', 'summary.json'))).toBe(false);
    // the kept checkpoint is finite: eval loads it
    const ev = anira(['eval', 'nan', '--backend', 'cpu'], cwd);
    expect(ev.status, ev.stderr).toBe(0);
  });
  it('reads in intervals of 10: a NaN rolls its interval back and the metrics log ends at the kept update', () => {
    const cfg = write('nan10.json', { ...base, name: 'nan10', checkpointEvery: 0, trainer: { steps: 40, batchSize: 4, lr: 10, weightDecay: 1, clipNorm: 1e9, warmupSteps: 0, evalEvery: 0 } });
    const r = anira(['train', '--config', cfg, '--out', 'nan10', '--quiet', '--backend', 'cpu'], cwd);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toHaveLength(1);
    const [, update] = /diverged at update (\d+):/.exec(r.stderr)!.map(Number) as number[];
    const start = Math.floor((update! - 1) / 10) * 10;
    const kept = update! - 1 > start ? `rolled back to the weights of update ${start}` : 'the weights before that update are kept';
    expect(r.stderr).toContain(`${kept}; no checkpoint was written`);
    const steps = readFileSync(join(cwd, 'nan10', 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { step: number; loss: number });
    expect(steps.map((e) => e.step)).toEqual(Array.from({ length: start }, (_, i) => i + 1));
    expect(steps.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(existsSync(join(cwd, 'nan10', 'checkpoint.anira'))).toBe(false);
  });
});

describe('run-folder lock', () => {
  it('refuses a live holder by name, takes over a dead one on this host, respects another host', () => {
    const cfg = write('lock.json', { ...base, name: 'lock', trainer: { ...base.trainer, steps: 5 } });
    const dir = join(cwd, 'locked');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, '.anira.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: '2024-01-01T00:00:00Z' }));
    const live = anira(['train', '--config', cfg, '--out', dir, '--quiet'], cwd);
    expect(live.status).toBe(1);
    expect(oneLine(live.stderr)).toHaveLength(1);
    expect(live.stderr).toContain(`is in use by pid ${process.pid} on ${hostname()} since 2024-01-01T00:00:00Z`);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);

    writeFileSync(join(dir, '.anira.lock'), JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', since: 'x' }));
    const remote = anira(['train', '--config', cfg, '--out', dir, '--quiet'], cwd);
    expect(remote.status).toBe(1);
    expect(remote.stderr).toContain('on elsewhere.example since x');

    writeFileSync(join(dir, '.anira.lock'), JSON.stringify({ pid: deadPid(), host: hostname(), since: 'x' }));
    const stale = anira(['train', '--config', cfg, '--out', dir, '--quiet'], cwd);
    expect(stale.status, stale.stderr).toBe(0);
    expect(existsSync(join(dir, '.anira.lock'))).toBe(false); // released at exit
  });

  it('lets exactly one of two simultaneous writers train', async () => {
    const cfg = write('race.json', { ...base, name: 'race' });
    const dir = join(cwd, 'race');
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [BIN, 'train', '--config', cfg, '--out', dir, '--quiet', '--resume'], { cwd });
        let stderr = '';
        p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        p.on('close', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([start(), start()]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(results.find((r) => r.code === 1)!.stderr).toMatch(/is in use by pid \d+/);
    const steps = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('resume resumes the run, not the command line', () => {
  it('after a kill: reads the run config, refuses conflicting flags, extends --steps, leaves a finished run alone', async () => {
    const cfg = write('res.json', { ...base, name: 'res', trainer: { ...base.trainer, steps: 400 } });
    const dir = join(cwd, 'res');
    // kill -9 once the first checkpoint is on disk
    await new Promise<void>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'train', '--config', cfg, '--out', dir, '--quiet'], { cwd });
      const poll = setInterval(() => {
        if (existsSync(join(dir, 'checkpoint.anira'))) {
          clearInterval(poll);
          p.kill('SIGKILL');
        }
      }, 20);
      p.on('close', () => resolve());
    });
    const killedAt = ckptStep(join(dir, 'checkpoint.anira'));
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(400);
    const configBefore = readFileSync(join(dir, 'config.json'), 'utf8');
    // a temp file of a killed atomic write, from a dead pid
    writeFileSync(join(dir, `.checkpoint.anira.${deadPid()}.3.tmp`), 'partial');

    const shorter = anira(['train', '--resume', '--config', cfg, '--out', dir, '--steps', '30', '--quiet'], cwd);
    expect(shorter.status).toBe(2);
    expect(oneLine(shorter.stderr)).toHaveLength(1);
    expect(shorter.stderr).toMatch(/--steps 30: the run in .* is configured for 400 updates/);
    for (const [flags, name] of [[['--seed', '3'], '--seed 3'], [['--tmax', '3'], '--tmax 3'], [['--task', 'copy'], '--task copy']] as const) {
      const r = anira(['train', '--resume', '--out', dir, ...flags, '--quiet'], cwd);
      expect(r.status, name).toBe(2);
      expect(r.stderr).toContain(`anira: ${name}: the run in ${dir} has`);
    }
    write('res-other.json', { ...base, name: 'res', trainer: { ...base.trainer, steps: 400, lr: 0.5 } });
    const other = anira(['train', '--resume', '--config', 'res-other.json', '--out', dir, '--quiet'], cwd);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('"trainer.lr" is 0.5 there');
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(configBefore);
    expect(ckptStep(join(dir, 'checkpoint.anira'))).toBe(killedAt);

    // the documented form: no --config, the run's own (dModel 8, not the default 64)
    const done = anira(['train', '--resume', '--out', dir, '--steps', '420', '--quiet', '--backend', 'cpu'], cwd);
    expect(done.status, done.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { trainer: { steps: number } }).trainer.steps).toBe(420);
    const steps = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps).toEqual(Array.from({ length: 420 }, (_, i) => i + 1));
    const summary = readFileSync(join(dir, 'summary.json'), 'utf8');
    const s = JSON.parse(summary) as { steps: number; stopped: string; bestStep: number; heldOut: { accuracy: number } };
    expect(s.steps).toBe(420);
    expect(s.stopped).toBe('steps');
    expect(s.heldOut.accuracy).toBeGreaterThanOrEqual(0);
    expect(s.bestStep % 5).toBe(0);
    expect(existsSync(join(dir, 'best.anira'))).toBe(true);
    expect(ckptStep(join(dir, 'best.anira'))).toBe(s.bestStep);

    const again = anira(['train', '--resume', '--out', dir, '--quiet'], cwd);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already complete \(420 updates, stopped: steps\); left untouched/);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(summary);
  });
});

describe('checkpoint header integrity through the CLI', () => {
  it('refuses a flipped header bit with one line, in eval and in --resume (forged fields: model checkpoint.test.ts)', () => {
    const cfg = write('hdr.json', { ...base, name: 'hdr', trainer: { ...base.trainer, steps: 10 } });
    const dir = join(cwd, 'hdr');
    expect(anira(['train', '--config', cfg, '--out', dir, '--quiet'], cwd).status).toBe(0);
    const bytes = readFileSync(join(dir, 'checkpoint.anira'));
    const at = bytes.indexOf('"step":10');
    const flipped = Buffer.from(bytes);
    flipped[at + 8]! ^= 0x01; // "step":10 -> "step":11
    writeFileSync(join(dir, 'checkpoint.anira'), flipped);
    const r = anira(['eval', dir], cwd);
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toEqual([`anira: ${join(dir, 'checkpoint.anira')}: checkpoint: corrupt or truncated (CRC-32 over header and weights does not match)`]);
    const resumed = anira(['train', '--resume', '--out', dir, '--steps', '12', '--quiet'], cwd);
    expect(resumed.status).toBe(2);
    expect(oneLine(resumed.stderr)).toHaveLength(1);
  });
});

describe('bad --out folders', () => {
  it('a file, or a path under /proc: one line, exit 2, no hang', () => {
    const cfg = write('out.json', { ...base, name: 'out', trainer: { ...base.trainer, steps: 2 } });
    writeFileSync(join(cwd, 'a-file'), 'x');
    const file = anira(['train', '--config', cfg, '--out', 'a-file', '--quiet'], cwd, 120_000);
    expect(file.status).toBe(2);
    expect(oneLine(file.stderr)).toHaveLength(1);
    expect(file.stderr).toMatch(/^anira: --out a-file: .*not a folder/);
    if (process.platform === 'linux') {
      const proc = anira(['train', '--config', cfg, '--out', '/proc/anira-x', '--quiet'], cwd, 120_000);
      expect(proc.status).toBe(2);
      expect(oneLine(proc.stderr)).toHaveLength(1);
      expect(proc.stderr).toMatch(/^anira: --out \/proc\/anira-x: cannot create folder/);
    }
  });
});

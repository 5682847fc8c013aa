/**
 * Training works outside vitest: the built CLI trains a few steps in a plain `node`
 * process on the wasm and on the cpu backend, resumes, evaluates and reports.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { anira, assertBuilt } from './built-cli.js';

let cwd: string;
beforeAll(() => {
  assertBuilt();
  cwd = mkdtempSync(join(tmpdir(), 'anira-plain-'));
});

const tiny = ['--task', 'addition', '--param', 'digits=2', '--steps', '4', '--quiet'];

describe.each(['wasm', 'cpu'])('plain node on %s', (backend) => {
  it('trains a few steps and writes a run folder', () => {
    const out = join(cwd, `run-${backend}`);
    const r = anira(['train', ...tiny, '--backend', backend, '--out', out], cwd);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['config.json', 'metrics.jsonl', 'checkpoint.anira', 'summary.json']) expect(existsSync(join(out, f)), f).toBe(true);
    const log = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number });
    expect(log.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(log.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).backend).toBe(backend);
    // --resume on a finished run keeps it; a truncated checkpoint is a one-line usage error
    const again = anira(['train', ...tiny, '--backend', backend, '--out', out, '--resume'], cwd);
    expect(again.status, again.stderr).toBe(0);
    const bytes = readFileSync(join(out, 'checkpoint.anira'));
    writeFileSync(join(out, 'checkpoint.anira'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const bad = anira(['eval', out, '--backend', backend], cwd);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/checkpoint/);
  });
});

describe('plain node custom policy', () => {
  it('trains and evaluates with a user policy module given by path', () => {
    const policy = fileURLToPath(new URL('../../../examples/custom-halting-policy/my-policy.js', import.meta.url));
    const out = join(cwd, 'run-custom');
    const r = anira(['run', ...tiny, '--policy', policy, '--backend', 'wasm', '--out', out], cwd);
    expect(r.status, r.stderr).toBe(0);
    const trace = readFileSync(join(out, 'trace.jsonl'), 'utf8').split('\n')[0]!;
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { policy: string; policySource: string };
    expect(JSON.parse(trace).policy).toBe('confidence');
    expect(summary.policy).toBe('confidence');
    expect(summary.policySource).toBe(policy);
  });
});

describe('plain node main job', () => {
  it('runs train + eval + analyse + report end to end on a tiny config', () => {
    const out = join(cwd, 'run-main');
    const r = anira(['run', ...tiny, '--backend', 'wasm', '--out', out], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/tok acc/);
    expect(r.stdout).toMatch(/rho/);
    expect(existsSync(join(out, 'trace.jsonl'))).toBe(true);
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
    const a = anira(['analyze', out, '--resamples', '20'], cwd);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/Alignment/);
  });
});

/** CLI conventions: help, version, and one-line usage errors with exit code 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { anira, assertBuilt, BIN } from './built-cli.js';

let cwd: string;
beforeAll(() => {
  assertBuilt();
  cwd = mkdtempSync(join(tmpdir(), 'anira-cli-'));
});

const expectUsage = (args: string[], pattern: RegExp) => {
  const r = anira(args, cwd);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n').filter((l) => !/^\(Did you mean/.test(l));
  expect(lines.length, r.stderr).toBe(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
};

describe('anira CLI conventions', () => {
  it('prints help and version with exit code 0', () => {
    const help = anira(['--help'], cwd);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: anira/);
    for (const c of ['run', 'train', 'eval', 'analyze', 'report', 'tasks', 'policies']) expect(help.stdout).toContain(c);
    const sub = anira(['train', '--help'], cwd);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/--policy/);
    const v = anira(['--version'], cwd);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects unknown flags and bad values in one line with exit code 2', () => {
    expectUsage(['train', '--bogus'], /unknown option '--bogus'/);
    expectUsage(['train', '--steps', '0'], /--steps must be an integer in \[1, 1000000000\], got "0"/);
    expectUsage(['train', '--backend', 'gpu'], /--backend must be one of auto\|wasm\|cpu\|tensorflow\|tensorflow-gpu/);
    expectUsage(['train', '--param', 'digits'], /--param expects key=value/);
    expectUsage(['tasks', 'sample', 'nope'], /nope/);
    expectUsage(['tasks', 'sample', 'addition', '--param', 'digits=-3'], /digits/);
    expectUsage(['train', '--task', 'addition', '--policy', 'nope', '--steps', '1', '--out', join(cwd, 'x')], /nope/);
    expectUsage(['train', '--policy', './missing-policy.js', '--steps', '1', '--out', join(cwd, 'y')], /missing-policy\.js/);
    expectUsage(['eval', join(cwd, 'no-such-run')], /no config\.json/);
  });

  it('rejects an invalid config file naming the key', () => {
    const f = join(cwd, 'bad.json');
    writeFileSync(f, JSON.stringify({ task: { name: 'addition', params: {} }, policy: { name: 'fixed' }, eval: { examples: 0 } }));
    expectUsage(['train', '--config', f], /eval\.examples/);
    writeFileSync(f, '{ not json');
    expectUsage(['train', '--config', f], /cannot parse/);
  });

  it('stops quietly when the reader closes the pipe early (| head)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" tasks sample addition --n 200000 --format jsonl | head -n 1`], { cwd, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    const s = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" policies | head -n 1`], { cwd, encoding: 'utf8' });
    expect(s.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it('reports a missing native backend with install instructions', () => {
    expectUsage(['train', '--backend', 'tensorflow', '--steps', '1', '--out', join(cwd, 'z')], /@tensorflow\/tfjs-node is not installed; install it with/);
  });
});

/**
 * CLI conventions: help, version, and one-line usage errors with exit code 2. The
 * cases run in-process through runCli(); only what needs a real process (the built
 * bin's wiring of exit codes, a pipe closed early) spawns the built CLI.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { anira, assertBuilt, BIN } from './built-cli.js';
import { aniraIn, messageLines } from './in-process.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'anira-cli-'));
});

const expectUsage = async (args: string[], pattern: RegExp) => {
  const r = await aniraIn(args, cwd);
  expect(r.status, r.stderr).toBe(2);
  expect(messageLines(r.stderr).length, r.stderr).toBe(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
};

describe('anira CLI conventions', () => {
  it('prints help and version with exit code 0', async () => {
    const help = await aniraIn(['--help'], cwd);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: anira/);
    for (const c of ['run', 'train', 'eval', 'analyze', 'report', 'tasks', 'policies']) expect(help.stdout).toContain(c);
    const sub = await aniraIn(['train', '--help'], cwd);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/--policy/);
    const v = await aniraIn(['--version'], cwd);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects unknown flags and bad values in one line with exit code 2', async () => {
    await expectUsage(['train', '--bogus'], /unknown option '--bogus'/);
    await expectUsage(['train', '--steps', '0'], /--steps must be an integer in \[1, 1000000000\], got "0"/);
    await expectUsage(['train', '--backend', 'gpu'], /--backend must be one of auto\|wasm\|cpu\|tensorflow\|tensorflow-gpu/);
    await expectUsage(['train', '--param', 'digits'], /--param expects key=value/);
    await expectUsage(['tasks', 'sample', 'nope'], /nope/);
    await expectUsage(['tasks', 'sample', 'addition', '--param', 'digits=-3'], /digits/);
    await expectUsage(['train', '--task', 'addition', '--policy', 'nope', '--steps', '1', '--out', join(cwd, 'x')], /nope/);
    await expectUsage(['train', '--policy', './missing-policy.js', '--steps', '1', '--out', join(cwd, 'y')], /missing-policy\.js/);
    await expectUsage(['eval', join(cwd, 'no-such-run')], /no-such-run" does not exist/);
    await expectUsage(['analyze', join(cwd, 'r'), '--feature-set', 'hubs'], /--feature-set expects name=feature,feature .*got "hubs"/);
    await expectUsage(['sweep', 'merge', cwd, '--out', join(cwd, 'm'), '--feature-set', 'a=x', '--feature-set', 'a=y'], /--feature-set: set "a" is given twice/);
    await expectUsage(['sweep', 'merge', cwd, '--out', join(cwd, 'm'), '--feature-set', 'a=x,,y'], /--feature-set expects name=feature,feature/);
    mkdirSync(join(cwd, 'not-a-run'), { recursive: true });
    await expectUsage(['eval', join(cwd, 'not-a-run')], /no config\.json/);
  });

  it('rejects an invalid config file naming the key', async () => {
    const f = join(cwd, 'bad.json');
    writeFileSync(f, JSON.stringify({ task: { name: 'addition', params: {} }, policy: { name: 'fixed' }, eval: { examples: 0 } }));
    await expectUsage(['train', '--config', f], /eval\.examples/);
    writeFileSync(f, '{ not json');
    await expectUsage(['train', '--config', f], /cannot parse/);
  });

  it('reports a missing native backend with install instructions', async () => {
    await expectUsage(['train', '--backend', 'tensorflow', '--steps', '1', '--out', join(cwd, 'z')], /@tensorflow\/tfjs-node is not installed; install it with/);
  });
});

describe('the built anira process', () => {
  beforeAll(() => assertBuilt());

  it('exits 2 with one line for a usage error, including one thrown inside an action', () => {
    for (const args of [['train', '--bogus'], ['tasks', 'sample', 'addition', '--param', 'digits=abc']]) {
      const r = anira(args, cwd);
      expect(r.status, r.stderr).toBe(2);
      expect(messageLines(r.stderr), r.stderr).toHaveLength(1);
    }
  });

  it('stops quietly when the reader closes the pipe early (| head)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" tasks sample addition --n 200000 --format jsonl | head -n 1`], { cwd, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    const s = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" policies | head -n 1`], { cwd, encoding: 'utf8' });
    expect(s.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});

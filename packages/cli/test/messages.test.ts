/**
 * The messages of issue 20's friction list, in-process through runCli(): each bad
 * input is one `anira:` line with exit 2 naming what the user typed, validation comes
 * before any announcement, and eval and report clean the temp files of killed writes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aniraIn } from './in-process.js';
import { alignedExamples, fixtureTrace, writeRunFolder } from './run-fixture.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'anira-messages-'));
});

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

/** Exit 2 and exactly one line, starting `anira:`, matching every pattern. */
async function expectOneLine(args: string[], ...patterns: RegExp[]) {
  const r = await aniraIn(args, cwd);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^anira: /);
  for (const p of patterns) expect(lines[0]).toMatch(p);
  return r;
}

const tiny = {
  name: 'tiny',
  task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1] },
  model: { dModel: 8, nHeads: 2, tMax: 2 },
  policy: { name: 'fixed' },
  trainer: { steps: 2, batchSize: 4, evalEvery: 0, warmupSteps: 0 },
  eval: { examples: 4, heldOut: 4, tMax: [] },
  checkpointEvery: 1,
};

describe('one line naming what the user typed', () => {
  it('analyze or eval of a folder that does not exist says so (not "run eval first")', async () => {
    await expectOneLine(['analyze', 'runs/does-not-exist'], /run folder "runs\/does-not-exist" does not exist/);
    await expectOneLine(['eval', 'runs/does-not-exist', '--backend', 'cpu'], /does not exist/);
  });

  it('--policy ./nope.js names the missing file, not an internal chunk', async () => {
    const r = await expectOneLine(['train', '--policy', './nope.js', '--steps', '1', '--backend', 'cpu'], /--policy \.\/nope\.js: no such file/);
    expect(r.stderr).not.toMatch(/chunk|dist\//);
  });

  it('an unknown option is one anira: line, with the hint on it', async () => {
    await expectOneLine(['train', '--bogus'], /^anira: unknown option '--bogus'$/);
    await expectOneLine(['train', '--step', '3'], /^anira: unknown option '--step' \(did you mean --steps\?\)$/);
  });

  it('an unknown command is named as one, with the nearest command', async () => {
    await expectOneLine(['trian'], /^anira: unknown command "trian" \(did you mean train\?\); commands: run, train, eval/);
    await expectOneLine(['frobnicate'], /^anira: unknown command "frobnicate"; commands: /);
  });

  it('sweep with a spec that is a folder names it in words (no raw EISDIR)', async () => {
    mkdirSync(join(cwd, 'spec-dir'), { recursive: true });
    const r = await expectOneLine(['sweep', 'spec-dir'], /sweep spec: cannot read spec-dir: it is a folder, not a file/);
    expect(r.stderr).not.toMatch(/EISDIR/);
  });

  it('--task "" and --policy "" name the flag, not the config field', async () => {
    await expectOneLine(['train', '--task', '', '--backend', 'cpu'], /^anira: --task: must name a task/);
    await expectOneLine(['train', '--policy', ' ', '--backend', 'cpu'], /^anira: --policy: must name a policy/);
  });

  it('train --resume --out <folder with no run> refuses and names the folder (a typo must not start over)', async () => {
    await expectOneLine(['train', '--resume', '--out', 'runs/typo', '--backend', 'cpu'], /--resume --out runs\/typo: the folder does not exist/);
    mkdirSync(join(cwd, 'empty'), { recursive: true });
    await expectOneLine(['train', '--resume', '--out', 'empty', '--backend', 'cpu'], /--resume --out empty: the folder holds no run/);
    expect(readdirSync(join(cwd, 'empty'))).toEqual([]);
  });
});

describe('outputs that agree with the docs', () => {
  it('tasks list shows a choice param by its names', async () => {
    const r = await aniraIn(['tasks', 'list'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/--param order=lsd {2}lsd\|msd {2}/);
    expect(r.stdout).not.toMatch(/order=0/);
  });
});

describe('--eval-every and --patience', () => {
  it('set trainer.evalEvery and trainer.patience, are validated, and --resume refuses a change', async () => {
    await expectOneLine(['train', '--patience', '0'], /--patience must be an integer in \[1, 1000000\], got "0"/);
    await expectOneLine(['train', '--eval-every', 'x'], /--eval-every must be an integer/);
    writeFileSync(join(cwd, 'pe.json'), JSON.stringify(tiny));
    const r = await aniraIn(['train', '--config', 'pe.json', '--eval-every', '1', '--patience', '4', '--out', 'pe', '--backend', 'cpu', '--quiet'], cwd);
    expect(r.status, r.stderr).toBe(0);
    const trainer = (JSON.parse(readFileSync(join(cwd, 'pe', 'config.json'), 'utf8')) as { trainer: Record<string, unknown> }).trainer;
    expect([trainer['evalEvery'], trainer['patience']]).toEqual([1, 4]);
    await expectOneLine(['train', '--resume', '--out', 'pe', '--patience', '3', '--backend', 'cpu'], /^anira: --patience 3: the run in pe has 4/);
    await expectOneLine(['train', '--resume', '--out', 'pe', '--eval-every', '2', '--backend', 'cpu'], /^anira: --eval-every 2: the run in pe has 1/);
  });
});

describe('training messages', () => {
  it('an extension reports the updates it trained; eval cleans stale temp files; a corrupt run fails before "--steps extends" is printed', async () => {
    writeFileSync(join(cwd, 'tiny.json'), JSON.stringify(tiny));
    const first = await aniraIn(['train', '--config', 'tiny.json', '--out', 'ext', '--backend', 'cpu', '--quiet'], cwd);
    expect(first.status, first.stderr).toBe(0);
    const more = await aniraIn(['train', '--resume', '--out', 'ext', '--steps', '5', '--backend', 'cpu'], cwd);
    expect(more.status, more.stderr).toBe(0);
    expect(more.stderr).toMatch(/anira: trained 3 updates \(updates 3 to 5\) in /);

    // eval removes the temp file of an eval killed mid-write
    const stale = join(cwd, 'ext', `.trace.jsonl.${deadPid()}.2.tmp`);
    writeFileSync(stale, 'partial');
    const ev = await aniraIn(['eval', 'ext', '--backend', 'cpu'], cwd);
    expect(ev.status, ev.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);

    const ckpt = join(cwd, 'ext', 'checkpoint.anira');
    const bytes = readFileSync(ckpt);
    writeFileSync(ckpt, bytes.subarray(0, bytes.length - 40));
    const r = await aniraIn(['train', '--resume', '--out', 'ext', '--steps', '9', '--backend', 'cpu'], cwd);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/extends/);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^anira: ext\/checkpoint\.anira: checkpoint: corrupt/)]);
    expect(JSON.parse(readFileSync(join(cwd, 'ext', 'config.json'), 'utf8')).trainer.steps).toBe(5);
  });
});

describe('temp files of killed writes', () => {
  it('report removes those of a killed report in its folder', async () => {
    const run = writeRunFolder(join(cwd, 'rep'), fixtureTrace(alignedExamples(12)));
    mkdirSync(join(run, 'report'), { recursive: true });
    const stale = join(run, 'report', `.alignment.svg.${deadPid()}.3.tmp`);
    writeFileSync(stale, 'partial');
    const r = await aniraIn(['report', run], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(r.stderr).toMatch(/removed 1 temp file\(s\) left by killed writes/);
  });
});

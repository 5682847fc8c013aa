/**
 * The CLI classifies errors by type alone: a bug thrown inside any command (a
 * `TypeError`, an ENOENT that escaped, a tfjs assert, all plain or built-in errors)
 * exits 1 with its stack, never 2 as if it were the user's mistake. The bug is
 * injected into a library function each command calls (getTask, parseTraceJsonl,
 * listPolicyDefinitions), then the command runs in-process through runCli().
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { aniraIn } from './in-process.js';
import { alignedExamples, fixtureSummary, fixtureTrace, writeRunFolder } from './run-fixture.js';

const inject: { bug?: () => Error } = {};
const maybeThrow = () => {
  if (inject.bug) throw inject.bug();
};

vi.mock('@anira/tasks', async (importOriginal) => {
  const real = await importOriginal<typeof import('@anira/tasks')>();
  return { ...real, getTask: (name: string) => (maybeThrow(), real.getTask(name)), listTasks: () => (maybeThrow(), real.listTasks()) };
});
vi.mock('@anira/metrics', async (importOriginal) => {
  const real = await importOriginal<typeof import('@anira/metrics')>();
  return { ...real, parseTraceJsonl: (text: string) => (maybeThrow(), real.parseTraceJsonl(text)) };
});
vi.mock('@anira/halting', async (importOriginal) => {
  const real = await importOriginal<typeof import('@anira/halting')>();
  return { ...real, listPolicyDefinitions: () => (maybeThrow(), real.listPolicyDefinitions()) };
});

/** A real tfjs assertion failure (tfjs throws a plain Error). */
function tfjsAssert(): Error {
  try {
    tf.util.assert(false, () => 'Error in matMul: inner shapes (3) and (4) of Tensors with shapes 2,3 and 4,5 and transposeA=false and transposeB=false must match.');
  } catch (e) {
    return e as Error;
  }
  throw new TypeError('tf.util.assert did not throw');
}

const BUGS: Record<string, () => Error> = {
  TypeError: () => new TypeError("Cannot read properties of undefined (reading 'dModel')"),
  ENOENT: () => Object.assign(new Error("ENOENT: no such file or directory, open 'runs/x/none'"), { code: 'ENOENT', errno: -2, syscall: 'open', path: 'runs/x/none' }),
  'tfjs assert': tfjsAssert,
};

let cwd: string;
let commands: Record<string, string[]>;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'anira-bugs-'));
  const run = writeRunFolder(join(cwd, 'run'), fixtureTrace(alignedExamples(12)), { summary: fixtureSummary('run') });
  writeFileSync(join(run, 'checkpoint.anira'), 'not read: the bug comes first');
  mkdirSync(join(cwd, 'sweep'));
  writeFileSync(join(cwd, 'spec.json'), JSON.stringify({ name: 's', base: { task: { name: 'addition', params: { digits: 2 } }, policy: { name: 'fixed' }, trainer: { steps: 1 } }, grid: { seed: [0, 1] } }));
  commands = {
    'run': ['run', '--task', 'addition', '--steps', '1', '--out', join(cwd, 'r1'), '--backend', 'cpu', '--quiet'],
    'train': ['train', '--task', 'addition', '--steps', '1', '--out', join(cwd, 'r2'), '--backend', 'cpu', '--quiet'],
    'eval': ['eval', run, '--backend', 'cpu'],
    'analyze': ['analyze', run],
    'report': ['report', run, '--out', join(cwd, 'rep')],
    'tasks list': ['tasks', 'list'],
    'tasks sample': ['tasks', 'sample', 'addition'],
    'policies': ['policies'],
    'sweep': ['sweep', 'spec.json', '--dry-run'],
    'sweep merge': ['sweep', 'merge', run, '--out', join(cwd, 'merged')],
  };
});
afterEach(() => {
  delete inject.bug;
});

describe('a bug inside any command exits 1 with its stack', () => {
  for (const [kind, bug] of Object.entries(BUGS)) {
    it(`${kind}`, async () => {
      for (const [name, args] of Object.entries(commands)) {
        inject.bug = bug;
        const r = await aniraIn(args, cwd);
        expect(r.status, `${name}: ${r.stderr}`).toBe(1);
        expect(r.stderr, name).toMatch(/^anira: internal error \(a bug in anira/);
        expect(r.stderr, name).toContain(bug().message.split('\n')[0]);
        expect(r.stderr, name).toMatch(/\n\s+at /);
      }
    });
  }

  it('without the injected bug the same fixtures are valid input (the bug, not the input, made them fail)', async () => {
    for (const name of ['analyze', 'tasks list', 'tasks sample', 'policies', 'sweep']) {
      const r = await aniraIn(commands[name]!, cwd);
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
    }
  });
});

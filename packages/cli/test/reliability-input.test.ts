/**
 * Bad input gets exit 2 and one line naming the field, never a stack trace and never
 * a silent exit (issue 14, "Bad input"). In-process through runCli().
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listTasks } from '@anira/tasks';
import { aniraIn, messageLines } from './in-process.js';
import { alignedExamples, fixtureSummary, fixtureTrace, writeRunFolder } from './run-fixture.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'anira-input-'));
});

/** Exit 2, exactly one message line matching every pattern, no stack trace. */
async function expectUsage(args: string[], ...patterns: RegExp[]) {
  const r = await aniraIn(args, cwd);
  expect(r.status, r.stderr).toBe(2);
  expect(messageLines(r.stderr), r.stderr).toHaveLength(1);
  for (const p of patterns) expect(r.stderr).toMatch(p);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r;
}

describe('--param values that are not numbers', () => {
  const bad = ['abc', 'NaN', 'Infinity', '1e400'];
  it('tasks sample: exit 2 and one line naming the param, on every task', async () => {
    for (const task of listTasks()) {
      for (const v of bad) {
        await expectUsage(['tasks', 'sample', task.name, '--param', `${task.sizeParam}=${v}`], new RegExp(`"${task.sizeParam}"`), new RegExp(v));
      }
      await expectUsage(['tasks', 'sample', task.name, '--param', '3=4'], /--param 3=4/, /"3" is not a param name/);
    }
  });

  it('train: exit 2 and one line naming the param, on every task, before any training', async () => {
    for (const task of listTasks()) {
      for (const v of bad) {
        await expectUsage(['train', '--task', task.name, '--param', `${task.sizeParam}=${v}`, '--out', join(cwd, 't')], new RegExp(`"${task.sizeParam}"`));
      }
      await expectUsage(['train', '--task', task.name, '--param', '3=4', '--out', join(cwd, 't')], /"3" is not a param name/);
    }
    expect(existsSync(join(cwd, 't'))).toBe(false);
  });

  it('a config file may hold string param values, which the task validates', async () => {
    const f = join(cwd, 'string-param.json');
    writeFileSync(f, JSON.stringify({ task: { name: 'addition', params: { digits: 'many' } }, policy: { name: 'fixed' } }));
    await expectUsage(['train', '--config', f, '--out', join(cwd, 's')], /"digits"/, /many/);
  });
});

describe('paths of the wrong kind', () => {
  it('--config <folder>: exit 2, one line', async () => {
    mkdirSync(join(cwd, 'a-folder'), { recursive: true });
    await expectUsage(['train', '--config', 'a-folder'], /a-folder/, /folder, not a file/);
  });

  it('analyze <file> and report <file>: exit 2, one line', async () => {
    writeFileSync(join(cwd, 'a-file'), 'x');
    await expectUsage(['analyze', 'a-file'], /a-file/, /is a file, not a folder/);
    await expectUsage(['report', 'a-file'], /a-file/, /is a file, not a folder/);
  });
});

describe('traces with no target tokens', () => {
  it('analyze and report: exit 2 and one line naming the trace file', async () => {
    const dir = writeRunFolder(join(cwd, 'empty-run'), fixtureTrace([{ size: 1, tokens: [] }, { size: 2, tokens: [] }]));
    await expectUsage(['analyze', dir], /empty-run[\\/]trace\.jsonl/, /no target tokens/);
    await expectUsage(['report', dir], /empty-run[\\/]trace\.jsonl/, /no target tokens/);
    expect(existsSync(join(dir, 'report'))).toBe(false);
  });

  it('too few tokens for a correlation: exit 2 and one line naming the run', async () => {
    const dir = writeRunFolder(join(cwd, 'two-tokens'), fixtureTrace([{ size: 1, tokens: [{ depth: 1, difficulty: 0 }] }, { size: 1, tokens: [{ depth: 2, difficulty: 1 }] }]));
    await expectUsage(['analyze', dir], /two-tokens/, /at least 3/);
  });
});

describe('undefined analyses are said in words, never as NaN', () => {
  it('report: all tokens share one difficulty', async () => {
    const examples = alignedExamples(6).map((ex) => ({ ...ex, tokens: ex.tokens.map((t) => ({ ...t, difficulty: 1 })) }));
    const dir = writeRunFolder(join(cwd, 'one-difficulty'), fixtureTrace(examples), { metrics: '{"step":1,"loss":2}\n{"step":2,"loss":1.5}\n' });
    const r = await aniraIn(['report', dir], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/alignment undefined: all tokens have one difficulty \(1\)/);
    expect(r.stderr).not.toMatch(/NaN/);
    expect(readFileSync(join(dir, 'report', 'index.html'), 'utf8')).not.toMatch(/NaN/);
  });

  it('report: malformed metrics lines are skipped with a count, and the training curve has no NaN', async () => {
    const metrics = ['{"step":1,"loss":2}', '{"step":"x","loss":1}', 'not json', '{"loss":1}', '{"step":4,"loss":1.25}', ''].join('\n');
    const dir = writeRunFolder(join(cwd, 'bad-metrics'), fixtureTrace(alignedExamples(8)), { metrics });
    const r = await aniraIn(['report', dir], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/metrics\.jsonl: skipped 3 malformed lines \(first: line 2;/);
    const svg = readFileSync(join(dir, 'report', 'training.svg'), 'utf8');
    expect(svg).not.toMatch(/NaN/);
  });

  it('a torn final metrics line (an interrupted run) is not counted as malformed', async () => {
    const dir = writeRunFolder(join(cwd, 'torn'), fixtureTrace(alignedExamples(8)), { metrics: '{"step":1,"loss":2}\n{"step":2,"lo' });
    const r = await aniraIn(['report', dir], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/malformed/);
  });
});

describe('sweep merge with malformed summaries', () => {
  const cases: [string, (s: Record<string, unknown>) => unknown, RegExp][] = [
    ['missing eval', (s) => ({ ...s, eval: undefined }), /"eval"/],
    ['eval entry with a string', (s) => ({ ...s, eval: [{ ...(s['eval'] as object[])[0]!, tokenAccuracy: 'high' }] }), /"eval\.0\.tokenAccuracy"/],
    ['heldOut not an object', (s) => ({ ...s, heldOut: 3 }), /"heldOut"/],
    ['an array', () => [], /"\(root\)"/],
  ];
  for (const [what, mutate, field] of cases) {
    it(`${what}: exit 2, one line naming the file and the field, nothing written`, async () => {
      const root = join(cwd, `sweep-${what.replace(/\W+/g, '-')}`);
      writeRunFolder(join(root, 'good'), fixtureTrace(alignedExamples(6)), { name: 'sw/good', summary: fixtureSummary('sw/good') });
      writeRunFolder(join(root, 'zbad'), fixtureTrace(alignedExamples(6)), { name: 'sw/zbad', summary: mutate(fixtureSummary('sw/zbad')) });
      const out = join(root, 'merged');
      await expectUsage(['sweep', 'merge', root, '--out', out], /zbad[\\/]summary\.json/, field);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('well-formed runs merge, with the science columns and the not-learned marker, and no NaN', async () => {
    const root = join(cwd, 'sweep-ok');
    writeRunFolder(join(root, 'a'), fixtureTrace(alignedExamples(12, 1)), { name: 'sw/seed=0', summary: fixtureSummary('sw/seed=0', 0.97) });
    writeRunFolder(join(root, 'b'), fixtureTrace(alignedExamples(12, 2)), { name: 'sw/seed=1', summary: fixtureSummary('sw/seed=1', 0.5) });
    const out = join(root, 'merged');
    const r = await aniraIn(['sweep', 'merge', root, '--out', out, '--no-report'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    for (const h of ['partial ρ [95% CI] given (cells)', 'R² depth ~ answer step alone (one-hot)', 'ρ within (size, answer step) cells', 'unique position', 'Shapley position', 'R² size (category)', 'top drop-one ΔR²', '## Over seeds: decision timing']) expect(md).toContain(h);
    expect(md).toMatch(/\| sw\/seed=1 \| addition \| fixed \| 48 \| 0\.500 \(not learned\) \|/);
    expect(md).toMatch(/\| sw \| 2 \| 0\.735 ± 0\.332 \[-\d\.\d{3}, \d\.\d{3}\] \(1 not learned\) \|/);
    expect(md).not.toMatch(/NaN/);
  });

  it('summary.json that is not JSON: one line naming the file', async () => {
    const root = join(cwd, 'sweep-not-json');
    writeRunFolder(join(root, 'r'), fixtureTrace(alignedExamples(6)));
    writeFileSync(join(root, 'r', 'summary.json'), '{"name": ');
    await expectUsage(['sweep', 'merge', root, '--out', join(root, 'm')], /r[\\/]summary\.json: not valid JSON/);
    expect(existsSync(join(root, 'm'))).toBe(false);
  });
});

describe('names are one safe path segment', () => {
  it('a config name that climbs out of runs/ is refused, naming the field', async () => {
    for (const name of ['../../x', '..', '.', 'a/../../b', 'a b', '/abs', '']) {
      const f = join(cwd, 'traversal.json');
      writeFileSync(f, JSON.stringify({ name, task: { name: 'addition' }, policy: { name: 'fixed' } }));
      await expectUsage(['train', '--config', f], /"name": must be a safe folder name/);
    }
    expect(existsSync(join(cwd, 'x'))).toBe(false);
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });

  it('a sweep name that climbs out of runs/ is refused, naming the field', async () => {
    const f = join(cwd, 'traversal-sweep.json');
    writeFileSync(f, JSON.stringify({ name: '../../x', base: { task: { name: 'addition' }, policy: { name: 'fixed' } }, grid: { seed: [0] } }));
    await expectUsage(['sweep', f, '--dry-run'], /"name": must be a safe folder name/);
  });

  it('a safe sweep name still gives run names "<sweep>/<run id>"', async () => {
    const f = join(cwd, 'ok-sweep.json');
    writeFileSync(f, JSON.stringify({ name: 'ok.sweep-1', base: { task: { name: 'addition' }, policy: { name: 'fixed' } }, grid: { seed: [0, 1] } }));
    const r = await aniraIn(['sweep', f, '--dry-run'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0\tseed=0\n1\tseed=1/);
  });
});

/**
 * `anira eval --sizes` on a trained run: a size the task rejects, or one whose
 * sequences are longer than the positions the model was built with, is one line
 * naming `--sizes` (exit 2) before anything is traced; sizes that fit are traced.
 * The run trains addition at 1-2 digits, so its model covers 2-digit sums and no more.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceJsonl } from '@anira/metrics';
import { BEST_AT_UPDATE_1 } from './best-at-update-1.js';
import { aniraIn, messageLines } from './in-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'anira-eval-sizes-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const trace = () => readFileSync(join(cwd, 'r', 'trace.jsonl'), 'utf8');

beforeAll(async () => {
  writeFileSync(join(cwd, 'cfg.json'), JSON.stringify(BEST_AT_UPDATE_1));
  const r = await aniraIn(['train', '--config', 'cfg.json', '--out', 'r', '--quiet', '--backend', 'cpu'], cwd);
  expect(r.status, r.stderr).toBe(0);
  const ev = await aniraIn(['eval', 'r', '--backend', 'cpu'], cwd);
  expect(ev.status, ev.stderr).toBe(0);
});

async function expectUsage(args: string[], ...patterns: RegExp[]) {
  const before = trace();
  const r = await aniraIn(args, cwd);
  expect(r.status, r.stderr).toBe(2);
  expect(messageLines(r.stderr), r.stderr).toHaveLength(1);
  for (const p of patterns) expect(r.stderr).toMatch(p);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(trace()).toBe(before); // nothing traced
}

describe('anira eval --sizes', () => {
  it('a size longer than the model covers: one line naming the flag, the lengths and the largest size that fits', async () => {
    await expectUsage(['eval', 'r', '--sizes', '1,3', '--backend', 'cpu'], /--sizes 3/, /addition at digits 3 makes sequences of up to \d+ tokens/, /covers \d+/, /the largest digits that fits is 2/, /task\.evalSizes/);
  });

  it('a size the task rejects: one line naming the flag and the param range', async () => {
    await expectUsage(['eval', 'r', '--sizes', '0', '--backend', 'cpu'], /--sizes 0/, /"digits"/);
  });

  it('sizes that fit are traced, and only those', async () => {
    const r = await aniraIn(['eval', 'r', '--sizes', '1,2', '--backend', 'cpu'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect([...new Set(parseTraceJsonl(trace()).examples.map((e) => e.size))].sort()).toEqual([1, 2]);
  });
});

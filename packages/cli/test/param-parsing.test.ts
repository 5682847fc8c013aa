/**
 * `--param` values are parsed strictly against the task's knobs: integer knobs take
 * plain decimal digits only (`0x10` and `1e0` were read by Number() as 16 and 1),
 * with one line naming the param and its range; real knobs take decimal text; choice
 * knobs a name or an index.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aniraIn, messageLines } from './in-process.js';
import { numericRecord } from '../src/parse.js';

const cwd = mkdtempSync(join(tmpdir(), 'anira-param-'));

describe('--param parsing', () => {
  it.each([
    ['addition', 'digits=0x10', /--param digits=0x10: addition: param "digits" must be an integer in \[1, 20\], written as plain decimal digits, got "0x10"/],
    ['addition', 'digits=16.0', /param "digits" must be an integer in \[1, 20\]/],
    ['addition', 'order=1e0', /--param order=1e0: addition: param "order" must be one of lsd, msd \(or an index in \[0, 1\]\), got "1e0"/],
    ['graph-dfs', 'density=0x1', /param "density" must be a number in \[0, 1\], got "0x1"/],
  ])('%s %s: exit 2, one line naming the param and its range', async (task, param, pattern) => {
    for (const args of [['tasks', 'sample', task, '--param', param], ['train', '--task', task, '--param', param, '--out', join(cwd, 'r')]]) {
      const r = await aniraIn(args, cwd);
      expect(r.status, r.stderr).toBe(2);
      expect(messageLines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it('plain values still work: integers, decimals, exponents for real knobs, choice names and indices', () => {
    expect(numericRecord('--param', { digits: '16', order: 'msd' }, 'addition')).toEqual({ digits: 16, order: 'msd' });
    expect(numericRecord('--param', { order: '1' }, 'addition')).toEqual({ order: 1 });
    expect(numericRecord('--param', { density: '0.5', hubProb: '1e-1' }, 'graph-dfs')).toEqual({ density: 0.5, hubProb: 0.1 });
    // unknown task or param: left for the task lookup to report
    expect(numericRecord('--param', { x: '0x10' }, 'addition')).toEqual({ x: '0x10' });
    expect(numericRecord('--param', { digits: '3' }, 'no-such-task')).toEqual({ digits: 3 });
  });
});

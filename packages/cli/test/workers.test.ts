/**
 * `--workers N`: data-parallel training through the built CLI. The same seed and
 * global batch with 1 and with 2 worker threads give the same loss curve (float
 * reassociation only), and bad counts are one-line usage errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anira, assertBuilt } from './built-cli.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'anira-workers-'));
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify({
    name: 'tiny', seed: 3,
    task: { name: 'addition', params: { digits: 3 }, trainSizes: [1, 2, 3] },
    model: { dModel: 16, nHeads: 2, tMax: 3 },
    policy: { name: 'anira-o' },
    trainer: { steps: 24, batchSize: 8, evalEvery: 8, warmupSteps: 2 },
    eval: { examples: 8, heldOut: 16 },
    checkpointEvery: 8,
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const losses = (out: string) => readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { loss: number }).loss);

describe('anira train --workers', () => {
  it('gives the loss curve of one process with 2 worker threads (within 1e-4 relative)', () => {
    const one = anira(['train', '--config', 'tiny.json', '--out', 'w1', '--workers', '1', '--quiet'], dir);
    expect(one.status, one.stderr).toBe(0);
    const two = anira(['train', '--config', 'tiny.json', '--out', 'w2', '--workers', '2'], dir);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stderr).toContain('data-parallel training on 2 worker threads');
    const a = losses(join(dir, 'w1'));
    const b = losses(join(dir, 'w2'));
    expect(b).toHaveLength(24);
    a.forEach((x, i) => expect(Math.abs(x - b[i]!) / Math.abs(x)).toBeLessThan(1e-4));
    // (resume of a multi-worker run, bit for bit: packages/model/test/parallel.test.ts)
  });

  it('refuses a bad worker count with one line', () => {
    for (const bad of ['0', 'x', '1.5']) {
      const r = anira(['train', '--config', 'tiny.json', '--out', `bad${bad}`, '--workers', bad], dir);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--workers must be an integer in \[1, 1024\]/);
    }
  });
});

/** A tiny sweep in plain node: two shards, a rerun that skips finished runs, and a merge. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anira, assertBuilt } from './built-cli.js';

let cwd: string;
beforeAll(() => {
  assertBuilt();
  cwd = mkdtempSync(join(tmpdir(), 'anira-sweep-'));
  writeFileSync(
    join(cwd, 'spec.json'),
    JSON.stringify({
      name: 'tiny',
      base: {
        task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1, 2] },
        model: { dModel: 16, nHeads: 2, tMax: 2 },
        policy: { name: 'fixed' },
        trainer: { steps: 2, batchSize: 4, evalEvery: 0 },
        eval: { examples: 4, heldOut: 4, tMax: [] },
      },
      grid: { policy: [{ name: 'fixed' }, { name: 'anira-o' }], seed: [0, 1] },
    }),
  );
});

describe('anira sweep', () => {
  it('runs shards, skips finished runs on rerun, and merges', () => {
    const out = join(cwd, 'sweep');
    for (const shard of ['0/2', '1/2']) {
      const r = anira(['sweep', 'spec.json', '--out', out, '--shard', shard, '--backend', 'wasm'], cwd);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/2\/2 runs done/);
    }
    expect(existsSync(join(out, 'policy=fixed,seed=0', 'summary.json'))).toBe(true);
    expect(existsSync(join(out, 'policy=anira-o,seed=0', 'summary.json'))).toBe(true);
    const again = anira(['sweep', 'spec.json', '--out', out, '--backend', 'wasm'], cwd);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/4\/4 runs done \(4 already complete\)/);
    const merged = anira(['sweep', 'merge', out, '--out', join(cwd, 'merged')], cwd);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/4 runs merged/);
    const csv = readFileSync(join(cwd, 'merged', 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    const md = readFileSync(join(cwd, 'merged', 'results.md'), 'utf8');
    for (const h of ['## Alignment', '## Generalization', '## Decision timing', '## Over seeds']) expect(md).toContain(h);
    expect(md).toMatch(/\| tiny\/policy=anira-o \| 2 \|/);
    expect(md).toMatch(/\| tiny\/policy=anira-o,seed=0 \| addition \| anira-o \|/);
    expect(existsSync(join(cwd, 'merged', 'report', 'index.html'))).toBe(true);
    expect(md).toContain('## Decision timing per feature, over seeds');
    expect(md).toMatch(/\| tiny\/policy=anira-o \| 2 \| digit_sum \(static\) \|/);
    expect(md).not.toContain('set "');

    // a named feature set is dropped and fitted as a whole; one no run declares is refused
    const sets = anira(['sweep', 'merge', out, '--out', join(cwd, 'merged-sets'), '--no-report', '--feature-set', 'sums and steps=digit_sum,answer_step'], cwd);
    expect(sets.status, sets.stderr).toBe(0);
    const mdSets = readFileSync(join(cwd, 'merged-sets', 'results.md'), 'utf8');
    expect(mdSets).toMatch(/\| tiny\/policy=anira-o \| 2 \| set "sums and steps": digit_sum, answer_step \|/);
    const unknown = anira(['sweep', 'merge', out, '--out', join(cwd, 'merged-bad'), '--no-report', '--feature-set', 'hubs=hub,hubs'], cwd);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n').at(-1)).toBe('anira: sweep merge: --feature-set "hubs": no run\'s trace declares all of hub, hubs');
    expect(existsSync(join(cwd, 'merged-bad'))).toBe(false);
  });

  it('validates the spec up front, naming the bad key', () => {
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ name: 'bad', grid: { 'trainer.steps': [0] }, base: { task: { name: 'addition' }, policy: { name: 'fixed' } } }));
    const r = anira(['sweep', 'bad.json', '--dry-run'], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/trainer config: "steps"|"trainer\.steps"/);
  });
});

describe('anira sweep spec file errors', () => {
  it('names the spec, not --config, when the file is missing or unreadable', () => {
    const missing = anira(['sweep', 'no-such-spec.yaml', '--dry-run'], cwd);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^anira: sweep spec: file "no-such-spec\.yaml" does not exist/);
    writeFileSync(join(cwd, 'broken.json'), '{ nope');
    const broken = anira(['sweep', 'broken.json', '--dry-run'], cwd);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^anira: sweep spec broken\.json: cannot parse/);
  });
});

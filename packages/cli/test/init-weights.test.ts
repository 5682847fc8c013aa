/**
 * `init` in an experiment config: a fresh run starts from another run's model weights
 * (its best or its latest), records where in summary.json and its checkpoints, does not
 * read the source again on --resume, and refuses bad sources with one line (exit 2).
 * The source's best is pinned to update 1 of 3 (minDelta 1), so best and last differ;
 * lr 0 keeps the new run's model weights as it took them.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserializeCheckpoint } from '@anira/model';
import { BEST_AT_UPDATE_1 } from './best-at-update-1.js';
import { aniraIn, messageLines } from './in-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'anira-init-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const source = { ...BEST_AT_UPDATE_1, name: 'src' };
/** The fine-tuning run: another policy and T_max, lr 0. */
const tuned = (init: Record<string, unknown>, model: Record<string, unknown> = {}) => ({
  ...source, name: 'tuned', seed: 5, init, model: { ...source.model, tMax: 4, ...model },
  policy: { name: 'anira-e', options: {} }, trainer: { steps: 2, batchSize: 4, warmupSteps: 0, evalEvery: 1, lr: 0 },
});

/** The `model/...` weights of a checkpoint file (`prefix` 'best/model/' for a checkpoint's best snapshot). */
function modelWeights(file: string, prefix = 'model/'): Record<string, number[]> {
  const { tensors } = deserializeCheckpoint(new Uint8Array(readFileSync(join(cwd, file))));
  const out: Record<string, number[]> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith(prefix)) out[k.slice(prefix.length)] = Array.from(t.dataSync());
    t.dispose();
  }
  return out;
}

const train = async (name: string, cfg: unknown, extra: string[] = ['--quiet']) => {
  writeFileSync(join(cwd, `${name}.json`), JSON.stringify(cfg));
  return aniraIn(['train', '--config', `${name}.json`, '--out', name, '--backend', 'cpu', ...extra], cwd);
};
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(cwd, dir, 'summary.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  const r = await train('src', source);
  expect(r.status, r.stderr).toBe(0);
});

describe('init: start from another run\'s model weights', () => {
  it('takes the best weights of a run folder by default, and says where from', async () => {
    const r = await train('best', tuned({ from: 'src' }), []); // not --quiet: the note is shown
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`anira: model weights from ${join(cwd, 'src', 'checkpoint.anira')}, update 1 (its best held-out weights); the policy, optimizer and step start fresh`);
    expect(summaryOf('best')['init']).toEqual({ from: 'src', step: 1, weights: 'best' });
    const want = modelWeights('src/checkpoint.anira', 'best/model/');
    expect(want).not.toEqual(modelWeights('src/checkpoint.anira')); // best (update 1) and last (update 3) differ
    expect(modelWeights('best/checkpoint.anira')).toEqual(want);
  });

  it('takes the latest weights of a checkpoint file with weights "last"', async () => {
    const r = await train('last', tuned({ from: 'src/checkpoint.anira', weights: 'last' }));
    expect(r.status, r.stderr).toBe(0);
    expect(summaryOf('last')['init']).toEqual({ from: 'src/checkpoint.anira', step: 3, weights: 'last' });
    expect(modelWeights('last/checkpoint.anira')).toEqual(modelWeights('src/checkpoint.anira'));
  });

  it('does not read the source again on --resume, and keeps the record', async () => {
    renameSync(join(cwd, 'src'), join(cwd, 'src-moved'));
    try {
      const r = await aniraIn(['train', '--out', 'best', '--resume', '--steps', '3', '--quiet', '--backend', 'cpu'], cwd);
      expect(r.status, r.stderr).toBe(0);
      expect(summaryOf('best')).toMatchObject({ steps: 3, init: { from: 'src', step: 1, weights: 'best' } });
    } finally {
      renameSync(join(cwd, 'src-moved'), join(cwd, 'src'));
    }
  });

  it.each([
    ['a missing source', tuned({ from: 'nowhere' }), ['--quiet'], '"init.from": nowhere does not exist'],
    ['a folder without a checkpoint', tuned({ from: '.' }), ['--quiet'], '"init.from": the run folder . has no checkpoint.anira'],
    ['an unknown weights choice', tuned({ from: 'src', weights: 'middle' }), ['--quiet'], '"init.weights": must be "best"'],
    ['another model width', tuned({ from: 'src' }, { dModel: 32 }), ['--quiet'], 'initModel: model config "dModel" is 16 in the checkpoint, 32 here (only tMax and seed may differ)'],
    ['stacked seeds', tuned({ from: 'src' }), ['--quiet', '--seeds', '0,1'], '--seeds: not with "init"'],
  ])('refuses %s with one line and exit 2', async (_, cfg, extra, message) => {
    const r = await train(`bad-${Math.random().toString(36).slice(2)}`, cfg, extra as string[]);
    expect(r.status).toBe(2);
    const lines = messageLines(r.stderr).filter((l) => !l.startsWith('anira: train'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
  });
});

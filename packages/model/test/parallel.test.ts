/**
 * Data-parallel training (`createParallelTrainer`) in plain `node` processes on
 * the BUILT packages (worker threads load built JS; `pnpm test` builds first):
 * - one worker reproduces `Trainer` bit for bit (losses, gradient norms, checkpoint bytes);
 * - 1 and 2 workers give the same loss curve within 1e-4 relative over 50 updates
 *   (shards of different lengths and loss-token counts), with no tensor growth;
 * - resuming a 2-worker run from its checkpoint after 20 updates is bit-identical
 *   to the uninterrupted run, and a plain `Trainer` accepts that checkpoint;
 * - a worker that throws or exits ends the run with one line naming it, in seconds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const run = (...args: string[]) => {
  const out = execFileSync(process.execPath, [here('./parallel-train.mjs'), ...args], { cwd: here('..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
};

beforeAll(() => {
  for (const pkg of ['tensor', 'tasks', 'halting', 'model']) {
    const dist = here(`../../${pkg}/dist/index.js`);
    if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm build\` first (\`pnpm test\` does)`);
  }
  if (!existsSync(here('../dist/parallel-worker.js'))) throw new Error('packages/model/dist/parallel-worker.js is missing: run `pnpm build` first');
});

describe('data-parallel training on worker threads', () => {
  it('1 worker = Trainer bit for bit; 2 workers = 1 worker within 1e-4 relative over 50 updates; no tensor growth', () => {
    const r = run('curves') as Record<string, number[] | string | number>;
    const [trainer, w1, w2] = [r['trainer'], r['w1'], r['w2']] as [number[], number[], number[]];
    expect(trainer).toHaveLength(50);
    expect(w1).toEqual(trainer);
    expect(r['w1Norm']).toEqual(r['trainerNorm']);
    expect(r['w1Ckpt']).toBe(r['trainerCkpt']);
    expect(w2).toHaveLength(50);
    let worst = 0;
    for (let i = 0; i < 50; i++) worst = Math.max(worst, Math.abs(w2[i]! - w1[i]!) / Math.abs(w1[i]!));
    expect(worst).toBeLessThan(1e-4);
    expect(w2).not.toEqual(w1); // a real 2-way split: float reassociation shows somewhere
    expect(w1[49]!).toBeLessThan(w1[0]! * 0.8); // it learns
    expect(r['w2Eval']).toHaveLength(5);
    expect(r['w1Tensors']).toBe(0);
    expect(r['w2Tensors']).toBe(0);
    expect(r['readEvery']).toEqual([1, 1, 1]); // Trainer's default, and each parallel update reads
  }, 600_000);

  it('resume after 20 updates is bit-identical for 2 workers, and Trainer restores the checkpoint', () => {
    const r = run('resume') as Record<string, number[] | string | number>;
    expect(r['resumed']).toEqual((r['full'] as number[]).slice(20));
    expect(r['resumedCkpt']).toBe(r['fullCkpt']);
    expect(r['trainerFromParallelStep']).toBe(20);
  }, 600_000);

  for (const mode of ['crash', 'exit']) {
    it(`a worker that ${mode === 'crash' ? 'throws' : 'exits'} ends the run with one line naming it`, () => {
      const r = run(mode) as { message: string; ms: number; steps: number };
      expect(r.message).toBe(mode === 'crash'
        ? 'parallel training: worker 1 failed: example 28 is broken on purpose'
        : 'parallel training: worker 1 exited (code 3)');
      expect(r.steps).toBe(3);
      expect(r.ms).toBeLessThan(60_000);
    }, 120_000);
  }
});

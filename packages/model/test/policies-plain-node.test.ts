/**
 * Every halting policy trains with the BUILT packages in a plain `node` process on
 * wasm (vitest transforms tfjs's gradient registrations and would hide a missing
 * one): 3 Trainer steps each without error and without tensor growth, trainable
 * policy variables move, and exit depths stay in range. Needs the packages built
 * (`pnpm test` builds first); this test never builds, it fails with a clear message.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface PolicyRun {
  name: string; backend: string; losses: number[]; before: number; after: number;
  trainableVariables: number; moved: number; maxDepth: number; minDepth: number;
}

beforeAll(() => {
  for (const pkg of ['tensor', 'tasks', 'halting', 'model']) {
    const dist = here(`../../${pkg}/dist/index.js`);
    if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm build\` first (\`pnpm test\` does)`);
  }
});

describe('every policy in plain node on the built packages (wasm)', () => {
  it('trains 3 steps per policy without error or tensor growth, and infers within range', () => {
    const out = execFileSync(process.execPath, [here('./policies-plain-node.mjs'), 'wasm'], { cwd: here('..'), encoding: 'utf8' });
    const runs = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as PolicyRun);
    expect(runs.map((r) => r.name)).toEqual([
      'fixed', 'act', 'pondernet', 'anira-o', 'anira-e', 'anira-e-hazard', 'converge', 'capacity', 'anira-e (gumbel)',
      'minDepth(anira-o, 2)', 'maxDepth(anira-e, 2)', 'anyOf(anira-o, converge)', 'allOf(anira-e, converge)', 'user: confidence',
    ]);
    for (const r of runs) {
      expect(r.backend, r.name).toBe('wasm');
      expect(r.losses, r.name).toHaveLength(3);
      for (const l of r.losses) expect(Number.isFinite(l) && l > 0, `${r.name}: loss ${l}`).toBe(true);
      expect(r.after, `${r.name}: tensor count after 3 steps and an inference`).toBe(r.before);
      expect(r.moved, `${r.name}: trainable policy variables that moved`).toBe(r.trainableVariables);
      expect(r.minDepth, r.name).toBeGreaterThanOrEqual(1);
      expect(r.maxDepth, r.name).toBeLessThanOrEqual(r.name.startsWith('anira-e') && !r.name.startsWith('anira-e-hazard') ? 3 : r.name.startsWith('maxDepth') ? 2 : 6);
    }
    const trainable = runs.filter((r) => r.trainableVariables > 0).map((r) => r.name);
    expect(trainable).not.toContain('fixed');
    expect(trainable).toContain('anira-e (gumbel)');
    expect(trainable.length).toBe(11);
  });
});

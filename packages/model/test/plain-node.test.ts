/**
 * Runs the BUILT package in a plain `node` process (vitest transforms tfjs's
 * gradient registrations and would hide a missing-gradient bug), on cpu and wasm.
 * Needs `pnpm build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The root `pnpm test` builds first; building here would race other tests that
// run built packages in parallel.
beforeAll(() => {
  for (const pkg of ['tensor', 'halting', 'model']) {
    const dist = here(`../../${pkg}/dist/index.js`);
    if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm build\` first (\`pnpm test\` does)`);
  }
});

describe('plain node', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`trains, checkpoints and infers with the built package on ${backend}`, () => {
      const out = execFileSync('node', [here('./plain-node-train.mjs'), backend], { cwd: here('..'), encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!) as { backend: string; losses: number[]; changed: boolean; step: number; depth: number[] };
      expect(r.backend).toBe(backend);
      expect(r.losses).toHaveLength(3);
      for (const l of r.losses) expect(Number.isFinite(l) && l > 0).toBe(true);
      expect(r.changed).toBe(true);
      expect(r.step).toBe(3);
      expect(r.depth).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    });
  }
});

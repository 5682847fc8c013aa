/**
 * Runs the BUILT package in a plain `node` process (vitest transforms tfjs's
 * gradient registrations and would hide a missing-gradient bug), on cpu and wasm.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

beforeAll(() => {
  execFileSync('pnpm', ['--filter', '@anira/model...', 'build'], { cwd: here('..'), stdio: 'pipe' });
}, 180_000);

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

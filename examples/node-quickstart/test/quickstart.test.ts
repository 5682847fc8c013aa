/**
 * Smoke test of the quickstart: run it in a plain `node` child process on the built
 * packages (so gradient registration and the wasm backend are checked as a user gets
 * them, not through vitest's transforms) with tiny settings, and check its output.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../quickstart.mjs', import.meta.url));

describe('node-quickstart', () => {
  it('trains, evaluates and prints the analysis in plain node', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: { ...process.env, STEPS: '20', EXAMPLES: '16' }, timeout: 110_000,
    });
    const losses = [...stdout.matchAll(/^step (\d+)\/20 loss (\S+)$/gm)].map((m) => Number(m[2]));
    expect(losses.length).toBeGreaterThan(0);
    expect(losses.every(Number.isFinite)).toBe(true);
    const ev = /held-out token accuracy (\S+), exact match (\S+), mean exit depth (\S+)/.exec(stdout);
    expect(ev).not.toBeNull();
    const [acc, exact, depth] = ev!.slice(1).map(Number) as [number, number, number];
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    expect(exact).toBeLessThanOrEqual(acc);
    expect(depth).toBeGreaterThanOrEqual(1);
    expect(depth).toBeLessThanOrEqual(4); // tMax
    // 16 examples of 2-digit addition = 48 answer tokens, in the summary and alignment tables
    expect(stdout).toMatch(/^quickstart\s+addition\s+48\s/m);
    expect(stdout).toContain('Alignment [quickstart]: depth vs difficulty (48 tokens, 16 examples)');
    expect(stdout).toContain('Decision timing');
  });
});

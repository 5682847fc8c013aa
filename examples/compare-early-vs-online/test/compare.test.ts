/**
 * Smoke test of the E-vs-O comparison: run it in a plain `node` child process on the
 * built packages with tiny settings and check that both policies were trained and
 * traced and that the alignment and decision-timing tables name both.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../compare.mjs', import.meta.url));

describe('compare-early-vs-online', () => {
  it('trains ANIRA-E and ANIRA-O and prints alignment and decision timing for both', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: { ...process.env, STEPS: '10', EXAMPLES: '12', SIZE: '2' }, timeout: 110_000,
    });
    expect(stdout).toMatch(/^anira-e: trained 10 steps/m);
    expect(stdout).toMatch(/^anira-o: trained 10 steps/m);
    expect(stdout).toContain('Task addition {"digits":2,"order":0,"balance":0}, 12 held-out examples'); // order 0 = lsd, balance 0 = none (choice params resolve to their index)
    // 12 examples x 3 answer digits each
    for (const p of ['anira-e', 'anira-o']) {
      expect(stdout).toContain(`Alignment [${p}]: depth vs difficulty (36 tokens, 12 examples)`);
    }
    // ANIRA-E defines a depth distribution up front, so it also reports expected depth; ANIRA-O does not
    const eBlock = stdout.slice(stdout.indexOf('Alignment [anira-e]'), stdout.indexOf('Alignment [anira-o]'));
    const oBlock = stdout.slice(stdout.indexOf('Alignment [anira-o]'), stdout.indexOf('Decision timing'));
    expect(eBlock).toContain('expected depth');
    expect(oBlock).not.toContain('expected depth');
    // the first decision-timing table (group R²); a per-feature table follows it
    const start = stdout.indexOf('Decision timing');
    const timing = stdout.slice(start, stdout.indexOf('\n\n', start));
    const rows = timing.split('\n').filter((l) => /^anira-[eo]\s/.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['anira-e', 'anira-o']);
    for (const r of rows) {
      const [r2s, r2d, r2b] = r.split(/\s+/).slice(1, 4).map(Number) as [number, number, number];
      for (const v of [r2s, r2d, r2b]) if (Number.isFinite(v)) expect(v).toBeGreaterThanOrEqual(-1e-9);
      if ([r2s, r2d, r2b].every(Number.isFinite)) expect(r2b + 1e-9).toBeGreaterThanOrEqual(Math.max(r2s, r2d));
    }
  });
});

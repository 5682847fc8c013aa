/**
 * `--seeds`: K seeds trained as one stacked model write K run folders, each the
 * lone run of its seed (same files and config, losses and held-out metrics within
 * 1e-4 relative), readable by `anira eval`; bad uses are one-line usage errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aniraIn, messageLines } from './in-process.js';
import { BIN } from './built-cli.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'anira-seeds-'));
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify({
    name: 'tiny',
    task: { name: 'addition', params: { digits: 2 }, trainSizes: [1, 2] },
    model: { dModel: 16, nHeads: 2, tMax: 3 },
    policy: { name: 'anira-o' },
    trainer: { steps: 12, batchSize: 6, evalEvery: 4, warmupSteps: 2 },
    eval: { examples: 6, heldOut: 12, tMax: [] },
    checkpointEvery: 5,
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);

describe('anira train --seeds', () => {
  it('writes each seed the folder its lone run writes, within 1e-4 relative', async () => {
    const r = await aniraIn(['train', '--config', 'tiny.json', '--seeds', '3,4', '--out', 'stacked', '--quiet'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/seed 3: run folder .*seed-3, held-out token accuracy/);
    for (const seed of [3, 4]) {
      const lone = await aniraIn(['train', '--config', 'tiny.json', '--seed', String(seed), '--out', `lone-${seed}`, '--quiet'], dir);
      expect(lone.status, lone.stderr).toBe(0);
      const a = join(dir, 'stacked', `seed-${seed}`);
      const b = join(dir, `lone-${seed}`);
      expect(readdirSync(a).sort()).toEqual(readdirSync(b).sort());
      expect(JSON.parse(readFileSync(join(a, 'config.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(b, 'config.json'), 'utf8')));
      const la = lines(join(a, 'metrics.jsonl'));
      const lb = lines(join(b, 'metrics.jsonl'));
      expect(la.map((e) => e['step'])).toEqual(lb.map((e) => e['step']));
      la.forEach((e, i) => expect(rel(e['loss'] as number, lb[i]!['loss'] as number)).toBeLessThan(1e-4));
      const sa = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8')) as { heldOut: Record<string, number>; stopped: string; bestStep: number };
      const sb = JSON.parse(readFileSync(join(b, 'summary.json'), 'utf8')) as typeof sa;
      expect([sa.stopped, sa.bestStep]).toEqual([sb.stopped, sb.bestStep]);
      for (const k of ['accuracy', 'exact', 'meanDepth']) expect(rel(sa.heldOut[k]!, sb.heldOut[k]!)).toBeLessThan(1e-4);
    }
    const ev = await aniraIn(['eval', join('stacked', 'seed-3')], dir);
    expect(ev.status, ev.stderr).toBe(0);
    // a seed folder resumes alone, as a lone run (here: extended by 2 updates)
    const more = await aniraIn(['train', '--out', join('stacked', 'seed-3'), '--resume', '--steps', '14', '--quiet'], dir);
    expect(more.status, more.stderr).toBe(0);
    expect(lines(join(dir, 'stacked', 'seed-3', 'metrics.jsonl')).map((e) => e['step'])).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('sweep --stack-seeds trains the runs that differ only in their seed together', async () => {
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({
      name: 'tiny-sweep',
      base: JSON.parse(readFileSync(join(dir, 'tiny.json'), 'utf8')) as object,
      grid: { policy: [{ name: 'fixed' }, { name: 'anira-o' }], seed: [3, 4] },
      stackSeeds: true,
    }));
    const r = await aniraIn(['sweep', 'sweep.json', '--out', 'sw'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/4\/4 runs done/);
    // the stacked anira-o seed 4 is the lone run of seed 4 from the first test
    const a = lines(join(dir, 'sw', 'policy=anira-o,seed=4', 'metrics.jsonl'));
    const b = lines(join(dir, 'lone-4', 'metrics.jsonl'));
    a.forEach((e, i) => expect(rel(e['loss'] as number, b[i]!['loss'] as number)).toBeLessThan(1e-4));
    const again = await aniraIn(['sweep', 'sweep.json', '--out', 'sw'], dir);
    expect(again.stderr).toMatch(/4\/4 runs done \(4 already complete\)/);
    const jobs = await aniraIn(['sweep', 'sweep.json', '--out', 'sw', '--jobs', '2'], dir);
    expect(jobs.status).toBe(2);
    expect(jobs.stderr).toMatch(/--jobs 2: stacked seeds train in this process/);
  });

  it('trains stacked seeds on webgpu (SwiftShader here), each as its lone webgpu run within 1e-4', async (ctx) => {
    if (!existsSync(BIN)) return ctx.skip('the built CLI is missing (pnpm build)');
    writeFileSync(join(dir, 'gpu.json'), JSON.stringify({
      name: 'gpu', task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1] },
      model: { dModel: 16, nHeads: 2, tMax: 3 }, policy: { name: 'anira-o' },
      trainer: { steps: 3, batchSize: 4, evalEvery: 0 }, eval: { examples: 4, heldOut: 4, tMax: [] },
    }));
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? tmpdir() };
    if (process.platform === 'linux' && env['VK_ICD_FILENAMES'] === undefined && existsSync(SWIFTSHADER)) env['VK_ICD_FILENAMES'] = SWIFTSHADER;
    const r = spawnSync(process.execPath, [BIN, 'train', '--config', 'gpu.json', '--backend', 'webgpu', '--seeds', '0,1', '--out', 'gpu', '--quiet'], { cwd: dir, encoding: 'utf8', env, timeout: 600_000 });
    if (r.status === 2 && /--backend webgpu/.test(r.stderr)) return ctx.skip(`Node WebGPU unavailable here: ${r.stderr.trim()}`);
    expect(r.status, r.stderr).toBe(0);
    // the reference is the same seed alone on the same backend (this caught a lost embedding
    // gradient: tfjs-webgpu's transpose of a cast one-hot, see tensor's one-hot.ts)
    const lone = spawnSync(process.execPath, [BIN, 'train', '--config', 'gpu.json', '--seed', '1', '--backend', 'webgpu', '--out', 'gpu-lone-1', '--quiet'], { cwd: dir, encoding: 'utf8', env, timeout: 600_000 });
    expect(lone.status, lone.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'gpu-lone-1', 'summary.json'), 'utf8')).backend).toBe('webgpu');
    expect(JSON.parse(readFileSync(join(dir, 'gpu', 'seed-1', 'summary.json'), 'utf8')).backend).toBe('webgpu');
    const a = lines(join(dir, 'gpu', 'seed-1', 'metrics.jsonl'));
    const b = lines(join(dir, 'gpu-lone-1', 'metrics.jsonl'));
    expect(a).toHaveLength(3);
    a.forEach((e, i) => expect(rel(e['loss'] as number, b[i]!['loss'] as number)).toBeLessThan(1e-4));
  });

  it('refuses bad --seeds uses with one line', async () => {
    const cases: [string[], RegExp][] = [
      [['--seeds', '1,1'], /--seeds must list distinct seeds, got 1 twice/],
      [['--seeds', '1,x'], /--seeds must be an integer in \[0, 2147483647\], got "x"/],
      [['--seeds', '1,2', '--seed', '3'], /--seed 3: --seeds sets each run's seed/],
      [['--seeds', '1,2', '--resume', '--out', 'stacked'], /--seeds starts fresh runs/],
      [['--seeds', '1,2', '--workers', '2'], /--workers 2: --seeds trains/],
      [['--seeds', '3', '--out', 'stacked'], /a run already exists in stacked.seed-3/],
    ];
    for (const [args, pattern] of cases) {
      const r = await aniraIn(['train', '--config', 'tiny.json', '--quiet', ...args], dir);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(messageLines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});

/**
 * Node WebGPU (`--backend webgpu`, Dawn's Node bindings from the `webgpu` package):
 * training on WebGPU matches wasm step for step from the same initial weights, and
 * inference on the SAME trained checkpoint gives the same exit depths and
 * predictions and logits within 1e-3; the CLI trains and evaluates through the
 * async paths; a missing package and a missing adapter are one line each. Runs the
 * BUILT packages in child `node` processes (webgpu-parity.mjs). Without a GPU, Dawn
 * runs on Chromium's SwiftShader Vulkan driver (installed by `pnpm test` as root,
 * see tools/scripts/ensure-chromium.mjs); with no adapter at all the WebGPU parts
 * skip with the reason printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { adapterName, NO_ADAPTER, prepareNodeWebGpu } from '../src/webgpu-node.js';
import { assertBuilt, BIN } from './built-cli.js';

const SCRIPT = fileURLToPath(new URL('./webgpu-parity.mjs', import.meta.url));
const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** Upper bounds on device work of the parity model (dModel 16, tMax 8, batch 4): see the 'device work' test. */
const PROGRAMS_PER_UPDATE = 3_600; // measured 2,386
const BUFFERS_PER_UPDATE = 710; // measured 472
const PROGRAMS_PER_INFER = 950; // measured 634

/** The environment for WebGPU children: SwiftShader when the machine offers no driver choice of its own. */
function gpuEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? tmpdir() };
  if (process.platform === 'linux' && env['VK_ICD_FILENAMES'] === undefined && existsSync(SWIFTSHADER)) env['VK_ICD_FILENAMES'] = SWIFTSHADER;
  return env;
}

interface Phase {
  unavailable?: string;
  backend: string;
  adapter: string | null;
  useAsync: boolean;
  losses?: number[];
  depth?: number[];
  prediction?: number[];
  logits?: number[];
}

function phase(args: string[], env = gpuEnv()): Phase {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: CLI_DIR, encoding: 'utf8', env, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`webgpu-parity ${args[0]} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Phase;
}

describe('Node WebGPU loading', () => {
  it('names an adapter from its info, skipping empty fields', () => {
    expect(adapterName({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' })).toBe('google swiftshader (SwiftShader driver 5.0.0)');
    expect(adapterName({ vendor: 'nvidia', architecture: '', description: '' })).toBe('nvidia');
    expect(adapterName({ vendor: '', architecture: '', description: 'Apple M2' })).toBe('Apple M2');
    expect(adapterName({ vendor: '', architecture: '', description: '' })).toBe('unknown adapter');
  });

  it('says how to install the webgpu package when it is missing', async () => {
    const missing = async (s: string) => {
      throw Object.assign(new Error(`Cannot find package '${s}' imported from /x/bin.js`), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    const e = await prepareNodeWebGpu(missing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toBe('--backend webgpu: the webgpu package is not installed; install it with `npm install webgpu @tensorflow/tfjs-backend-webgpu`');
    // a package that is present but broken is not reported as missing
    const broken = async () => {
      throw new Error('dawn.node: invalid ELF header\nstack...');
    };
    await expect(prepareNodeWebGpu(broken)).rejects.toThrow(/^--backend webgpu: webgpu failed to load \(dawn\.node: invalid ELF header\)$/);
  });
});

describe('Node WebGPU against wasm', () => {
  let dir: string;
  let skipReason: string | undefined;
  let train: Phase;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'anira-webgpu-'));
    const init = phase(['init', dir]);
    expect(init.backend).toBe('wasm');
    train = phase(['train', dir]);
    (train as Phase & { init: Phase }).init = init;
    if (train.unavailable) {
      skipReason = `Node WebGPU unavailable here: ${train.unavailable}`;
      console.warn(`skipping the Node WebGPU parity tests: ${skipReason}`);
    }
  }, 600_000);

  it('trains the same 3 steps as wasm from the same weights (loss within 1e-5 relative)', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const init = (train as Phase & { init: Phase }).init;
    expect(train.backend).toBe('webgpu');
    expect(train.useAsync).toBe(true);
    expect(train.adapter).toMatch(/\S/);
    console.info(`Node WebGPU adapter: ${train.adapter}`);
    expect(train.losses).toHaveLength(3);
    train.losses!.forEach((l, i) => expect(Math.abs(l - init.losses![i]!) / Math.abs(init.losses![i]!)).toBeLessThan(1e-5));
    expect(train.losses![2]).toBeLessThan(train.losses![0]!); // it learns
  });

  it('infers the same depths and predictions, logits within 1e-3, on the same checkpoint', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const gpu = phase(['infer', dir, 'webgpu']);
    const cpu = phase(['infer', dir, 'wasm']);
    expect([gpu.backend, cpu.backend]).toEqual(['webgpu', 'wasm']);
    expect(new Set(gpu.depth!.filter((d) => d > 0)).size).toBeGreaterThan(1); // depths vary per token
    expect(gpu.depth).toEqual(cpu.depth);
    expect(gpu.prediction).toEqual(cpu.prediction);
    expect(gpu.logits).toHaveLength(cpu.logits!.length);
    const worst = Math.max(...gpu.logits!.map((v, i) => Math.abs(v - cpu.logits![i]!)));
    expect(worst).toBeLessThan(1e-3);
  });

  it('device work: one read per interval of 2 updates and one per inference call, bounded programs and buffers', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    type Counts = { programs: number; buffers: number; reads: number };
    const c = phase(['counts', dir]) as unknown as Phase & { train: Counts; updates: number; infer: Counts };
    console.info(`Node WebGPU device work: ${c.updates} updates ${JSON.stringify(c.train)}, one inference call ${JSON.stringify(c.infer)}`);
    expect(c.train.reads).toBe(2); // 4 updates read every 2
    expect(c.infer.reads).toBe(1); // the active mask stays on the device; one read at the end
    // upper bounds, about 1.5x what tfjs 4.22's kernels dispatched when written (programs: counts, never times)
    expect(c.train.programs / c.updates).toBeLessThanOrEqual(PROGRAMS_PER_UPDATE);
    expect(c.train.buffers / c.updates).toBeLessThanOrEqual(BUFFERS_PER_UPDATE);
    expect(c.infer.programs).toBeLessThanOrEqual(PROGRAMS_PER_INFER);
  });

  it('the CLI trains and evaluates on webgpu (async paths), with the adapter found', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const cfg = join(dir, 'tiny.json');
    writeFileSync(cfg, JSON.stringify({
      name: 'tiny-webgpu',
      task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1] },
      model: { dModel: 16, nHeads: 2, tMax: 3 },
      policy: { name: 'anira-o' },
      trainer: { steps: 2, batchSize: 4, evalEvery: 0 },
      eval: { examples: 4, heldOut: 4, tMax: [] },
    }));
    const out = join(dir, 'run');
    const r = spawnSync(process.execPath, [BIN, 'run', '--config', cfg, '--backend', 'webgpu', '--quiet', '--out', out], { cwd: dir, encoding: 'utf8', env: gpuEnv(), timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).backend).toBe('webgpu');
    const log = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step?: number; loss?: number });
    expect(log.filter((e) => e.loss !== undefined).map((e) => e.step)).toEqual([1, 2]);
    expect(readFileSync(join(out, 'trace.jsonl'), 'utf8').length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/validation|Invalid/);
  });
});

describe('no WebGPU adapter', () => {
  it.runIf(process.platform === 'linux')('is one line saying how to use SwiftShader, exit 2', () => {
    assertBuilt();
    const cwd = mkdtempSync(join(tmpdir(), 'anira-noadapter-'));
    // an ICD list naming no driver: the Vulkan loader finds nothing, Dawn offers no adapter
    const env = { ...process.env, NO_COLOR: '1', VK_ICD_FILENAMES: join(cwd, 'none.json'), XDG_RUNTIME_DIR: tmpdir() };
    const r = spawnSync(process.execPath, [BIN, 'train', '--backend', 'webgpu', '--steps', '1', '--quiet', '--out', join(cwd, 'r')], { cwd, encoding: 'utf8', env });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[lines.length - 1]).toBe(`anira: ${NO_ADAPTER}`);
    expect(existsSync(join(cwd, 'r', 'checkpoint.anira'))).toBe(false);
  });
});

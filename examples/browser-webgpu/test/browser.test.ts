/**
 * Real-browser test of the page: build it with Vite, serve it from 127.0.0.1, open it
 * in Debian Chromium (headless, WebGPU on SwiftShader) via playwright-core, train in
 * the page, and load a checkpoint trained here in Node. The page must pick WebGPU for
 * training (@anira/model's `Trainer.runAsync`) and for inference (`inferAsync`), its
 * loss must fall, and on the Node checkpoint WebGPU inference must reproduce Node's
 * softmax probabilities (within 1e-3), predictions and exit depths (exactly). Saves a
 * screenshot to test-artifacts/browser-webgpu.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageState } from '../src/main.js';
import { createSession, disposeSession, loadCheckpoint, predict, sampleInputs, type Predictions } from '../src/session.js';
import { serveStatic, type StaticServer } from './static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const EXAMPLES = 8;
const PAGE_STEPS = 12;

let outDir = '';
let profile = '';
let server: StaticServer | undefined;
let context: BrowserContext | undefined;
let reference: Predictions;
let nodeStep = 0;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser test: ${CHROMIUM} is missing; install Debian Chromium with \`apt-get install -y chromium\` (the CI script does)`);
  }
  // 1. A checkpoint trained in Node (cpu backend), and Node's outputs on fixed inputs.
  await tf.setBackend('cpu');
  const s = createSession({ task: 'addition', size: 2, steps: 30, seed: 3 });
  s.trainer.run();
  const bytes = await s.trainer.checkpoint();
  nodeStep = s.trainer.step;
  disposeSession(s);
  const loaded = await loadCheckpoint(bytes); // @anira/model's exported loadCheckpoint, as the page uses it
  reference = predict(loaded, sampleInputs(loaded, EXAMPLES));
  disposeSession(loaded);
  // 2. Build the page and serve it (plus the checkpoint) from 127.0.0.1.
  outDir = mkdtempSync(join(tmpdir(), 'anira-page-'));
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await serveStatic(outDir, { '/node.anira': bytes });
  profile = mkdtempSync(join(tmpdir(), 'anira-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'],
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  for (const d of [outDir, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('browser page (Chromium, WebGPU)', () => {
  it('selects webgpu for training and inference, trains with falling loss, and reproduces a Node checkpoint', async () => {
    const page = context!.pages()[0] ?? (await context!.newPage());
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.goto(`${server!.url}/?autorun=1&task=addition&size=2&steps=${PAGE_STEPS}&checkpoint=/node.anira&examples=${EXAMPLES}`);
    await page.waitForFunction(() => window.__anira?.done === true, undefined, { timeout: 200_000, polling: 500 });
    const st = (await page.evaluate(() => window.__anira)) as PageState;
    mkdirSync(join(repo, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(repo, 'test-artifacts', 'browser-webgpu.png'), fullPage: true });
    expect(st.error, logs.join('\n')).toBeNull();

    expect(st.backend).toBe('webgpu');
    expect(await page.locator('#backend').getAttribute('data-backend')).toBe('webgpu');
    // inference reads only asynchronously, so it stays on WebGPU even on the SwiftShader software adapter
    expect(st.inferenceBackend).toBe('webgpu');
    expect(st.adapter, 'the page reports its WebGPU adapter').toMatch(/\S/);

    expect(st.training).toBe('done');
    expect(st.losses).toHaveLength(PAGE_STEPS);
    expect(st.losses.every(Number.isFinite)).toBe(true);
    const tail = st.losses.slice(-3).reduce((a, b) => a + b, 0) / 3;
    expect(tail).toBeLessThan(st.losses[0]! - 0.1);
    // one coloured box per answer token of the 6 sample inputs (2-digit addition: 3 answer digits)
    expect(await page.locator('#tokens .example .tok.answer').count()).toBe(6 * 3);

    const ck = st.checkpoint!;
    expect(ck.step).toBe(nodeStep);
    expect(ck.exitDepth).toEqual(reference.exitDepth);
    expect(ck.prediction).toEqual(reference.prediction);
    expect(ck.probs).toHaveLength(reference.probs.length);
    const maxDiff = Math.max(...ck.probs.map((p, i) => Math.abs(p - reference.probs[i]!)));
    expect(maxDiff).toBeLessThan(1e-3);
    // the page shows the same depths it reports
    const shown = await page.locator('#ckpt-tokens .tok.answer[data-depth]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset['depth'])));
    expect(shown).toEqual(reference.exitDepth);
    console.log(`browser: backend ${st.backend} (adapter ${st.adapter}), inference ${st.inferenceBackend}, loss ${st.losses[0]!.toFixed(3)} -> ${tail.toFixed(3)}, checkpoint max |dp| ${maxDiff.toExponential(2)}, depths ${[...new Set(reference.exitDepth)].sort().join(',')}`);
  }, 240_000);

  it('?inference=webgl moves inference to WebGL (training stays on WebGPU) with the same results', async () => {
    const page = await context!.newPage();
    await page.goto(`${server!.url}/?inference=webgl&checkpoint=/node.anira&examples=${EXAMPLES}`);
    await page.waitForFunction(() => window.__anira?.done === true, undefined, { timeout: 60_000, polling: 250 });
    const st = (await page.evaluate(() => window.__anira)) as PageState;
    expect(st.error).toBeNull();
    expect(st.backend).toBe('webgpu');
    expect(st.inferenceBackend).toBe('webgl');
    expect(st.checkpoint!.exitDepth).toEqual(reference.exitDepth);
    expect(st.checkpoint!.prediction).toEqual(reference.prediction);
    await page.close();
  }, 90_000);
});

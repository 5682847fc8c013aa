/**
 * The page's controller: pick a backend, train in the page with a live loss curve,
 * show per-token exit depths, and load a Node-trained checkpoint. URL parameters:
 * `backend`, `inference`, `task`, `size`, `steps`, `autorun=1` (train on load),
 * `checkpoint=URL`. Training (`Trainer.runAsync`) and inference (`inferAsync`) come
 * from @anira/model and only read tensors asynchronously, so both run on WebGPU.
 * Results are exposed on `window.__anira` for the real-browser test.
 */
import { listTasks } from '@anira/tasks';
import * as tf from '@tensorflow/tfjs-core';
import { pickBackend, pickInferenceBackend, webgpuAdapter } from './backend.js';
import { drawLoss } from './loss-plot.js';
import { createSession, disposeSession, loadCheckpoint, predictAsync, sampleInputs, type Predictions, type Session } from './session.js';
import { renderTokens } from './token-view.js';

/** What the page exposes to scripts and tests. */
export interface PageState {
  backend: string | null;
  /** Backend used for inference (the training backend unless `?inference=` forces another). */
  inferenceBackend: string | null;
  /** The WebGPU adapter's description, when there is one. */
  adapter: string | null;
  skipped: { name: string; reason: string }[];
  losses: number[];
  training: 'idle' | 'running' | 'done';
  checkpoint: { exitDepth: number[]; prediction: number[]; probs: number[]; step: unknown } | null;
  done: boolean;
  error: string | null;
}
declare global {
  interface Window { __anira: PageState }
}

const state: PageState = { backend: null, inferenceBackend: null, adapter: null, skipped: [], losses: [], training: 'idle', checkpoint: null, done: false, error: null };
window.__anira = state;
const url = new URLSearchParams(location.search);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Run `fn` on the inference backend on a session rebuilt from checkpoint `bytes`, then switch back. */
async function withCheckpoint<T>(source: Uint8Array | string, fn: (p: Predictions, s: Session) => T, examples: number): Promise<T> {
  const training = tf.getBackend();
  await tf.setBackend(state.inferenceBackend!);
  let s: Session;
  try {
    s = await loadCheckpoint(source); // @anira/model's loadCheckpoint (fetches a URL itself)
  } catch (e) {
    await tf.setBackend(training);
    throw e;
  }
  try {
    return fn(await predictAsync(s, sampleInputs(s, examples)), s);
  } finally {
    disposeSession(s);
    await tf.setBackend(training);
  }
}

async function train(task: string, size: number, steps: number): Promise<void> {
  const status = $('train-status');
  state.training = 'running';
  state.losses = [];
  const session = createSession({
    task, size, steps,
    onLog: (entry) => {
      state.losses.push(entry.loss);
      drawLoss($<HTMLElement>('loss') as unknown as SVGSVGElement, state.losses, steps);
      status.textContent = `step ${entry.step}/${steps}: loss ${entry.loss.toFixed(3)}, training accuracy ${(entry.accuracy * 100).toFixed(0)}%, mean depth ${entry.meanDepth.toFixed(2)}`;
    },
  });
  const started = performance.now();
  let bytes: Uint8Array;
  try {
    await session.trainer.runAsync(); // @anira/model's Trainer, reading with `await data()` only
    bytes = await session.trainer.checkpoint();
  } finally {
    disposeSession(session);
  }
  const secs = (performance.now() - started) / 1000;
  const first = state.losses[0]!, last = state.losses[state.losses.length - 1]!;
  status.textContent = `Trained ${steps} steps in ${secs.toFixed(1)} s on ${state.backend}. Loss ${first.toFixed(3)} → ${last.toFixed(3)}.`;
  await withCheckpoint(bytes, (p) => renderTokens($('tokens'), p.views, p.tMax), 6);
  state.training = 'done';
}

async function loadFrom(src: string, examples: number): Promise<void> {
  const status = $('ckpt-status');
  status.textContent = `loading ${src}…`;
  await withCheckpoint(src, (p, s) => {
    const meta = s.meta ?? {};
    state.checkpoint = { exitDepth: p.exitDepth, prediction: p.prediction, probs: p.probs, step: meta['step'] };
    const answers = p.views.flat().filter((t) => t.exitDepth !== null);
    const correct = answers.filter((t) => t.prediction === t.target).length;
    status.textContent = `Loaded ${src}: task ${s.task.name} ${JSON.stringify(s.params)}, policy ${s.policy.name}, ` +
      `trained ${String(meta['step'])} steps in Node. ${correct}/${answers.length} answer tokens correct on ${examples} sample inputs ` +
      `(inference on ${state.inferenceBackend}).`;
    renderTokens($('ckpt-tokens'), p.views, p.tMax);
  }, examples);
}

function fail(e: unknown, where: HTMLElement): void {
  console.error(e instanceof Error ? e.stack : e);
  state.error = e instanceof Error ? e.message : String(e);
  where.textContent = `Error: ${state.error}`;
}

async function main(): Promise<void> {
  const select = $<HTMLSelectElement>('task');
  for (const t of listTasks()) select.add(new Option(t.name, t.name, t.name === 'addition', t.name === 'addition'));
  if (url.get('task')) select.value = url.get('task')!;
  if (url.get('size')) $<HTMLInputElement>('size').value = url.get('size')!;
  if (url.get('steps')) $<HTMLInputElement>('steps').value = url.get('steps')!;
  if (url.get('checkpoint')) $<HTMLInputElement>('ckpt-url').value = url.get('checkpoint')!;

  const choice = await pickBackend(url.get('backend') ? [url.get('backend')!] : undefined);
  state.backend = choice.name;
  state.skipped = [...choice.skipped];
  $('backend').textContent = `Using ${choice.name}`;
  $('backend').dataset['backend'] = choice.name;
  $('backend-note').textContent = choice.skipped.length === 0
    ? `${choice.name} was the first choice and it works here.`
    : `Skipped: ${choice.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}.`;
  if (choice.name === 'webgpu') {
    const adapter = await webgpuAdapter();
    state.adapter = adapter ? `${adapter.description}${adapter.software ? ' (software adapter)' : ''}` : null;
    if (state.adapter) $('backend-note').textContent += ` WebGPU adapter: ${state.adapter}.`;
  }
  const inf = await pickInferenceBackend(choice.name, url.get('inference') ?? undefined);
  state.inferenceBackend = inf.name;
  $('backend-note').textContent += inf.reason
    ? ` Training runs on ${choice.name}; inference runs on ${inf.name} (${inf.reason}).`
    : ` Training and inference both run on ${choice.name}.`;

  const runTrain = () => train(select.value, Number($<HTMLInputElement>('size').value), Number($<HTMLInputElement>('steps').value));
  $('train-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runTrain().catch((err) => fail(err, $('train-status')));
  });
  $('ckpt-form').addEventListener('submit', (e) => {
    e.preventDefault();
    loadFrom($<HTMLInputElement>('ckpt-url').value, 8).catch((err) => fail(err, $('ckpt-status')));
  });
  if (url.get('autorun') === '1') await runTrain();
  if (url.get('checkpoint')) await loadFrom(url.get('checkpoint')!, Number(url.get('examples') ?? 8));
}

main()
  .catch((e) => fail(e, $('backend-note')))
  .finally(() => { state.done = true; });

/**
 * `task.curriculum: { gate: { accuracy } }` through `anira train` (in-process, cpu,
 * tiny runs of a few seconds): sizes open at evaluations where every open size reached
 * the gate, recorded in metrics.jsonl, summary.json and the checkpoint; early stopping
 * waits for the full curriculum; a run interrupted and resumed is bit-identical to an
 * uninterrupted one; the combinations it does not support are one-line usage errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readCheckpointHeader } from '@anira/model';
import { aniraIn, messageLines } from './in-process.js';
import { RunFolder } from '../src/experiment/run-folder.js';
import { DiskFullError } from '../src/fs-atomic.js';

let dir: string;
const GATE = 0.35;
const STEPS = 70;
/**
 * On cpu this run opens size 2 at its first evaluation and size 3 45 updates later;
 * checkpoints every 15 updates, so a read interval (10 updates) spans evaluations.
 */
const tiny = {
  task: { name: 'addition', params: { digits: 3 }, trainSizes: [1, 2, 3], evalSizes: [1, 2, 3], curriculum: { gate: { accuracy: GATE } } },
  model: { dModel: 16, nHeads: 2, tMax: 2 },
  policy: { name: 'fixed' },
  trainer: { steps: STEPS, batchSize: 8, evalEvery: 5, warmupSteps: 0, lr: 0.01 },
  eval: { examples: 4, heldOut: 24, tMax: [] },
  checkpointEvery: 15,
};
const write = (name: string, value: unknown) => {
  writeFileSync(join(dir, name), JSON.stringify(value));
  return name;
};
const train = (args: string[]) => aniraIn(['train', ...args, '--quiet', '--backend', 'cpu'], dir);
const metrics = (run: string) => readFileSync(join(dir, run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const summary = (run: string) => JSON.parse(readFileSync(join(dir, run, 'summary.json'), 'utf8')) as Record<string, unknown>;
const header = (file: string) => readCheckpointHeader(new Uint8Array(readFileSync(join(dir, file)))).meta;

interface Record_ {
  open: number[];
  accuracy: Record<string, number>;
  opened?: number;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'anira-gate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The gated run `gate` (trained once, by the first test that needs it). */
let gated: Promise<void> | undefined;
const gateRun = () => (gated ??= train(['--config', write('gate.json', { ...tiny, name: 'gate' }), '--out', 'gate']).then((r) => expect(r.status, r.stderr).toBe(0)));

describe('anira train with a gated curriculum', () => {
  it('opens a size at the first evaluation where every open size reaches the gate, and records where', async () => {
    await gateRun();
    const log = metrics('gate');
    expect(log.map((e) => e['step'])).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    const records = log.filter((e) => e['curriculum'] !== undefined).map((e) => ({ step: e['step'] as number, ...(e['curriculum'] as Record_) }));
    expect(records.some((x) => x.opened === undefined), 'this tiny run has evaluations below the gate').toBe(true);
    // each record: an evaluation while a size was closed, the sizes then open, and an opening exactly when all reached the gate
    let open = [1];
    for (const rec of records) {
      expect(rec.step % 5).toBe(0);
      expect(rec.open).toEqual(open);
      expect(Object.keys(rec.accuracy).map(Number)).toEqual(open);
      const met = Object.values(rec.accuracy).every((a) => a >= GATE);
      expect(rec.opened, `update ${rec.step}`).toEqual(met ? open.length + 1 : undefined);
      if (rec.opened !== undefined) open = [...open, rec.opened];
    }
    const s = summary('gate');
    const opened = records.filter((x) => x.opened !== undefined).map((x) => ({ size: x.opened, step: x.step, index: x.step * 8 }));
    expect(opened.length, 'this tiny run opens at least one size').toBeGreaterThan(0);
    const closed = [1, 2, 3].filter((x) => !open.includes(x));
    expect(s['curriculum']).toEqual({ accuracy: GATE, opened: [{ size: 1, step: 0, index: 0 }, ...opened], closed });
    // once every size is open, evaluations carry no record
    if (closed.length === 0) expect(log.filter((e) => (e['step'] as number) > (opened.at(-1)?.step ?? 0)).some((e) => e['curriculum'] !== undefined)).toBe(false);
    // the checkpoint carries the same state, with the patience count: evaluations since the last opening without a new best
    let best = -1;
    let since = 0;
    for (const e of log) {
      const ev = e['eval'] as { accuracy: number } | undefined;
      if (!ev) continue;
      const improved = ev.accuracy > best;
      best = Math.max(best, ev.accuracy);
      if (closed.length === 0 && (e['step'] as number) > (opened.at(-1)?.step ?? 0)) since = improved ? 0 : since + 1;
    }
    expect(header(join('gate', 'checkpoint.anira'))['curriculum']).toEqual({ accuracy: GATE, opened: [{ size: 1, step: 0, index: 0 }, ...opened], evalsSinceBest: since });
    expect((s['splits'] as { overlap: Record<string, number> }).overlap).toEqual({ selectionInTraining: 0, analysisInTraining: 0, analysisInSelection: 0 });
  });

  it('holds target accuracy and patience back while a size is closed', async () => {
    const stopping = { ...tiny.trainer, steps: 20, targetAccuracy: 0.01, patience: 1 };
    // without the gate the target stops the run at its first evaluation
    const plain = await train(['--config', write('plain.json', { ...tiny, name: 'plain', task: { ...tiny.task, curriculum: undefined }, trainer: stopping }), '--out', 'plain']);
    expect(plain.status, plain.stderr).toBe(0);
    expect([summary('plain')['stopped'], summary('plain')['steps']]).toEqual(['target-accuracy', 5]);
    // with a gate no size reaches, neither the target nor patience stops it
    const held = await train(['--config', write('held.json', { ...tiny, name: 'held', task: { ...tiny.task, curriculum: { gate: { accuracy: 1 } } }, trainer: stopping }), '--out', 'held']);
    expect(held.status, held.stderr).toBe(0);
    const s = summary('held');
    expect([s['stopped'], s['steps']]).toEqual(['steps', 20]);
    expect(s['curriculum']).toEqual({ accuracy: 1, opened: [{ size: 1, step: 0, index: 0 }], closed: [2, 3] });
    // and the config keeps them: the gate applies them once every size is open
    expect(JSON.parse(readFileSync(join(dir, 'held', 'config.json'), 'utf8')).trainer).toMatchObject({ targetAccuracy: 0.01, patience: 1 });
    // a gate every size reaches at once: the target stops at the first evaluation after the last opening
    const low = await train(['--config', write('low.json', { ...tiny, name: 'low', task: { ...tiny.task, curriculum: { gate: { accuracy: 0.001 } } }, trainer: stopping }), '--out', 'low']);
    expect(low.status, low.stderr).toBe(0);
    expect([summary('low')['stopped'], summary('low')['steps']]).toEqual(['target-accuracy', 15]);
    expect((summary('low')['curriculum'] as { opened: unknown[] }).opened).toEqual([{ size: 1, step: 0, index: 0 }, { size: 2, step: 5, index: 40 }, { size: 3, step: 10, index: 80 }]);
  });

  it('a run interrupted and resumed (while a size is closed, and once all are open) is bit-identical to an uninterrupted one', async () => {
    await gateRun();
    const cfg = 'gate.json';
    const whole = 'gate';
    const opened = (summary(whole)['curriculum'] as { opened: { step: number }[] }).opened;
    const last = opened.at(-1)?.step ?? 0;
    expect(opened.length, 'this tiny run opens every size').toBe(3);
    // checkpoints after the first opening but before the last, and after the last
    const checkpoints = Array.from({ length: Math.ceil(STEPS / 15) - 1 }, (_, i) => 15 * (i + 1));
    const closed = checkpoints.filter((c) => c >= (opened[1]?.step ?? STEPS) && c < last).at(-1);
    const open = checkpoints.find((c) => c > last);
    expect([closed, open], 'this tiny run has checkpoints with a size closed and with every size open').not.toContain(undefined);
    for (const kept of [closed ?? 0, open ?? 0]) {
      const cut = `cut-${kept}`;
      // a full disk two updates after checkpoint `kept`: the run stops, intact up to it
      const append = RunFolder.prototype.appendMetrics;
      const spy = vi.spyOn(RunFolder.prototype, 'appendMetrics').mockImplementation(function (this: RunFolder, entry: unknown) {
        if ((entry as { step: number }).step === kept + 2) throw new DiskFullError(this.metrics);
        append.call(this, entry);
      });
      const failed = await train(['--config', cfg, '--out', cut]);
      spy.mockRestore();
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain(`the run is intact up to update ${kept}`);
      const state = header(join(cut, 'checkpoint.anira'))['curriculum'] as { opened: { step: number }[] };
      expect(state.opened).toEqual(opened.filter((o) => o.step <= kept));
      const resumed = await train(['--resume', '--out', cut]);
      expect(resumed.status, resumed.stderr).toBe(0);
      for (const f of ['checkpoint.anira', 'best.anira']) expect(readFileSync(join(dir, cut, f)).equals(readFileSync(join(dir, whole, f))), `${cut}/${f}`).toBe(true);
      const strip = (log: Record<string, unknown>[]) => log.map(({ timeMs: _t, ...e }) => e);
      expect(strip(metrics(cut))).toEqual(strip(metrics(whole)));
      const { trainSeconds: _a, ...a } = summary(cut);
      const { trainSeconds: _b, ...b } = summary(whole);
      expect(a).toEqual(b);
    }
  });

  it('a sweep with stackSeeds trains gated runs one by one, with a note', async () => {
    write('sweep.json', { name: 'sw', base: { ...tiny, trainer: { ...tiny.trainer, steps: 4, evalEvery: 2 }, checkpointEvery: 0 }, grid: { seed: [0, 1] }, stackSeeds: true });
    const r = await aniraIn(['sweep', 'sweep.json', '--out', 'sw', '--backend', 'cpu'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('sweep: seed=0, seed=1: a gated curriculum (task.curriculum.gate) is not stacked; training these runs one by one');
    for (const run of ['seed=0', 'seed=1']) expect((summary(join('sw', run))['curriculum'] as { accuracy: number }).accuracy).toBe(GATE);
  });

  it('refuses what it does not support, and bad values, with one line (exit 2)', async () => {
    const cfg = write('refuse.json', { ...tiny, name: 'refuse' });
    const cases: [string[], RegExp][] = [
      [['--config', cfg, '--out', 'w', '--workers', '2'], /^anira: --workers 2: not with "task.curriculum.gate" \(an accuracy-gated curriculum\): each worker thread draws its examples from a stream built once/],
      [['--config', cfg, '--out', 's', '--seeds', '0,1'], /^anira: --seeds: not with "task.curriculum.gate" .*train the seeds one by one/],
      [['--config', cfg, '--out', 'e', '--eval-every', '0'], /^anira: refuse.json: "task.curriculum.gate" opens sizes at held-out evaluations, so "trainer.evalEvery" must be an integer in \[1, 1e9\], got 0$/],
      [['--config', write('bad.json', { ...tiny, task: { ...tiny.task, curriculum: { gate: { accuracy: 2 } } } }), '--out', 'b'], /^anira: bad.json: "task.curriculum.gate.accuracy": must be a number in \(0, 1\]/],
      [['--config', write('both.json', { ...tiny, task: { ...tiny.task, curriculum: { steps: 5, gate: { accuracy: 0.5 } } } }), '--out', 'b'], /^anira: both.json: "task.curriculum": takes one of "steps" .* not both$/],
    ];
    for (const [args, message] of cases) {
      const r = await train(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(messageLines(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
  });
});

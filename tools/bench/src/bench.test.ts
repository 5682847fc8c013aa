/**
 * Correctness of the benchmark suite at a tiny size (never speed): every workload
 * runs once, the result document has every field, numTensors does not grow, and
 * the helpers (median, FLOPs, clipped geometric depths, args, atomic writes) match
 * hand-computed values.
 */
import * as tf from '@tensorflow/tfjs-core';
import './backend.js'; // tfjs-core and the backends load before @anira/tensor's gradient registrations (vitest order matters)
import '@anira/tensor';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerFlops } from '@anira/model';
import { listTasks } from '@anira/tasks';
import { parseArgs } from './args.js';
import { useBackend } from './backend.js';
import { forwardFlops, trainStepFlops } from './flops.js';
import { machineInfo, versions } from './machine.js';
import { RESULT_FORMAT_VERSION, saveResults, type BenchDocument } from './results.js';
import { benchPlan, tinySizes, type BackendName, type BenchPlan } from './sizes.js';
import { median, timeReps } from './stats.js';
import { runSuite } from './suite.js';
import { clippedGeometricDepths, syntheticExample } from './synthetic.js';
import { formatTable } from './table.js';

const tinyPlan = (backend: BackendName): BenchPlan => ({
  ...benchPlan(backend, true, tinySizes()),
  train: { warmup: 1, reps: 2 }, infer: { warmup: 1, reps: 2 }, tasks: { warmup: 1, reps: 2 },
});

const isPositive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe.each(['cpu', 'wasm'] as const)('suite on %s at a tiny size', (backend) => {
  it('fills every field, frees every tensor and saves the document', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const r = await runSuite(backend, tinyPlan(backend), { quick: true });
    // every workload frees everything it allocated (W1 also reports it: residualTensorsAfterDispose)
    expect(tf.memory().numTensors).toBe(before);
    expect(r.backend).toBe(backend);
    const w1 = r.w1Train;
    expect(w1.samplesMs).toHaveLength(2);
    for (const x of [w1.medianStepMs, w1.tokensPerSecond, w1.gflopsPerSecond, w1.flopsPerStep]) expect(isPositive(x)).toBe(true);
    expect(w1.tokensPerSecond).toBeCloseTo((2 * 8 * 1000) / w1.medianStepMs, 6);
    expect(w1.policy).toBe('anira-o');
    const m = r.w4Memory;
    expect(m.leakSteps).toBe(3);
    expect(m.numTensorsDelta).toBe(0);
    expect(m.numTensorsAfter).toBe(m.numTensorsBefore);
    expect(m.residualTensorsAfterDispose).toBe(0);
    expect(isPositive(m.peakRssBytes) && m.processMaxRssBytes >= m.peakRssBytes * 0.5).toBe(true);
    const w2 = r.w2Infer;
    expect(w2.fixed.meanDepth).toBe(8);
    expect(w2.adaptive.meanDepth).toBeGreaterThanOrEqual(1);
    expect(w2.adaptive.meanDepth).toBeLessThan(8);
    expect(w2.idealRatio).toBeCloseTo(w2.adaptive.meanDepth / 8, 12);
    expect(w2.timeRatio).toBeCloseTo(w2.adaptive.medianMs / w2.fixed.medianMs, 12);
    for (const x of [w2.fixed.tokensPerSecond, w2.adaptive.tokensPerSecond, w2.fixed.gflopsPerSecond]) expect(isPositive(x)).toBe(true);
    expect(r.w3Tasks.map((t) => t.task)).toEqual(listTasks().map((t) => t.name));
    for (const t of r.w3Tasks) expect(isPositive(t.medianExamplesPerSecond) && t.examplesPerRep >= 2).toBe(true);
    expect(formatTable(r)).toContain('numTensors before/after 3 steps (B=2, T=4)');

    const dir = mkdtempSync(join(tmpdir(), 'anira-bench-'));
    const doc: BenchDocument = { formatVersion: RESULT_FORMAT_VERSION, date: '2026-01-02T03:04:05.678Z', command: 'bench', machine: machineInfo(), versions: versions(), results: [r] };
    const files = saveResults(dir, doc);
    expect(readdirSync(dir).sort()).toEqual([`${backend}-2026-01-02T03-04-05-678Z.json`, 'latest.json'].sort()); // no temporary files left
    const back = JSON.parse(readFileSync(files[1]!, 'utf8')) as BenchDocument;
    expect(back.machine.cpus).toBeGreaterThan(0);
    expect(back.machine.totalMemoryBytes).toBeGreaterThan(0);
    expect(back.versions.node).toBe(process.version);
    expect(back.versions.tfjs).toBe('4.22.0');
    expect(back.versions.packages['@anira/model']).toMatch(/^\d+\.\d+\.\d+/);
    expect(back.results[0]!.w4Memory.numTensorsDelta).toBe(0);
    const keys = ['backend', 'elapsedMs', 'model', 'quick', 'w1Train', 'w2Infer', 'w3Tasks', 'w4Memory', ...(backend === 'cpu' ? [] : ['deviceWork'])];
    expect(Object.keys(back.results[0]!).sort()).toEqual(keys.sort());
    if (backend === 'wasm') {
      // device work counts (counts.ts): a lone step reads its entry, a run reads every update (readEvery 1), no GPU work
      const c = r.deviceWork!;
      expect(c.trainStep).toEqual({ programs: 0, buffers: 0, reads: 1 });
      expect(c.trainRunPerUpdate.reads).toBe(1);
      expect(c.inferFixed.reads).toBeGreaterThan(1); // wasm reads each iteration to skip rows
    }
  });
});

describe('helpers', () => {
  it('median of odd and even lists, and timeReps runs warm-up untimed', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median: "values" must hold at least 1 number, got 0');
    const seen: number[] = [];
    const t = timeReps((i) => seen.push(i), { warmup: 2, reps: 3 });
    expect(seen).toEqual([-1, -2, 0, 1, 2]);
    expect(t.samplesMs).toHaveLength(3);
  });

  it('counts FLOPs by hand for the benchmark model', () => {
    const cfg = tinySizes().model; // C=16, dMlp=32, V=32, tMax=8, causal
    // per token and iteration: 8*16^2 + 4*16*32 + 4*16*keys + 2*16*32 = 5120 + 64*keys (2048 + 2048 + 64*keys + 1024)
    const byHand = 3 * [1, 2].reduce((s, keys) => s + 8 * (5120 + 64 * keys), 0);
    expect(layerFlops(cfg, 1)).toBe(8 * 256 + 4 * 16 * 32 + 64);
    expect(trainStepFlops(cfg, 1, 2)).toBe(byHand);
    expect(forwardFlops(cfg, 3, 2, 1)).toBe(3 * (2 * 5120 + 64 * 3));
  });

  it('draws clipped geometric depths with the analytic mean, seeded', () => {
    const d = clippedGeometricDepths(40_000, 2, 8, 5);
    const mean = d.reduce((s, x) => s + x, 0) / d.length;
    expect(mean).toBeCloseTo(2 * (1 - 0.5 ** 8), 1); // E[min(D, 8)] = sum_{k<8} 0.5^k
    expect(Math.min(...d)).toBe(1);
    expect(Math.max(...d)).toBe(8);
    const ones = d.filter((x) => x === 1).length / d.length;
    expect(Math.abs(ones - 0.5)).toBeLessThan(0.02);
    expect(clippedGeometricDepths(50, 2, 8, 5)).toEqual(d.slice(0, 50));
    expect(() => clippedGeometricDepths(1, 0.5, 8, 0)).toThrow('"mean" must be a number >= 1, got 0.5');
  });

  it('makes full-length synthetic examples with targets everywhere', () => {
    const e = syntheticExample(4, 64, 32);
    expect(e.input).toHaveLength(64);
    expect(e.target.every((t) => t >= 1 && t <= 31)).toBe(true);
    expect(syntheticExample(4, 64, 32)).toEqual(e);
  });

  it('parses the command line', () => {
    expect(parseArgs([])).toEqual({ backends: ['native', 'wasm', 'cpu'], quick: false, torch: 'auto' });
    expect(parseArgs(['--backend', 'cpu', '--quick'])).toEqual({ backends: ['cpu'], quick: true, torch: 'auto' });
    expect(parseArgs(['--backend=wasm', '--out', '/x'])).toEqual({ backends: ['wasm'], quick: false, torch: 'auto', out: '/x' });
    expect(parseArgs(['--backend', 'wasm,native,wasm', '--torch', 'off'])).toEqual({ backends: ['wasm', 'native'], quick: false, torch: 'off' });
    expect(() => parseArgs(['--backend', 'gpu'])).toThrow('bench: option "--backend" must list cpu, wasm, native, webgpu or all, got "gpu"');
    expect(() => parseArgs(['--torch', 'yes'])).toThrow('bench: option "--torch" must be one of auto, on, off, got "yes"');
    expect(() => parseArgs(['--fast'])).toThrow('bench: unknown option "--fast"');
  });
});

/**
 * `pnpm --filter @anira/bench run ab`: an interleaved A/B of one W1 training step
 * on plain wasm and on wasm + @anira/native, in one process, alternating every
 * step, so both sides see the same machine load. Prints per side the minimum and
 * median wall time and the median CPU time of this process (user + system): on a
 * shared machine the CPU time is the steadier figure. `--pairs N` (default 8),
 * `--paper` for the paper-size model (dModel 64, tMax 6, batch 32, length 32).
 */
import './backend.js';
import '@anira/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { aniraO } from '@anira/halting';
import { LoopedTransformer, Trainer, defaultModelConfig } from '@anira/model';
import { disableNativeKernels, enableNativeKernels } from '@anira/native';
import { loadavg } from 'node:os';
import { benchSizes } from './sizes.js';
import { syntheticExample } from './synthetic.js';

const argv = process.argv.slice(2);
const pairs = Number(argv[argv.indexOf('--pairs') + 1] ?? 8) || 8;
const paper = argv.includes('--paper');

await tf.setBackend('wasm');
const sizes = benchSizes();
const cfg = paper ? defaultModelConfig({ vocabSize: 32, maxLength: 32, dModel: 64, nHeads: 4, tMax: 6, seed: 1 }) : sizes.model;
const length = paper ? 32 : sizes.length;
const batch = sizes.trainBatch;
const model = new LoopedTransformer(cfg);
const policy = aniraO({ dModel: cfg.dModel, vocabSize: cfg.vocabSize, tMax: cfg.tMax, seed: 2 });
const trainer = new Trainer({
  model, policy, maxLength: length,
  example: (i) => syntheticExample(i, length, cfg.vocabSize),
  config: { batchSize: batch, steps: 1_000_000, evalEvery: 0, seed: 3 },
});

const sides = { wasm: { wall: [] as number[], cpu: [] as number[] }, native: { wall: [] as number[], cpu: [] as number[] } };
function step(side: keyof typeof sides, record: boolean): void {
  if (side === 'native') enableNativeKernels({ quiet: true });
  else disableNativeKernels();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  trainer.trainStep();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (record) {
    sides[side].wall.push(wall);
    sides[side].cpu.push((c.user + c.system) / 1000);
  }
}
const load0 = loadavg()[0]!;
step('wasm', false);
step('native', false);
for (let i = 0; i < pairs; i++) {
  step(i % 2 ? 'native' : 'wasm', true);
  step(i % 2 ? 'wasm' : 'native', true);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const row = (name: string, s: { wall: number[]; cpu: number[] }) =>
  `${name.padEnd(12)} wall min ${Math.min(...s.wall).toFixed(0).padStart(6)} ms  median ${median(s.wall).toFixed(0).padStart(6)} ms  cpu median ${median(s.cpu).toFixed(0).padStart(6)} ms`;
console.log(`W1 step, ${paper ? 'paper-size model' : 'bench model'}: batch ${batch}, length ${length}, dModel ${cfg.dModel}, tMax ${cfg.tMax}; ${pairs} interleaved pairs`);
console.log(row('plain wasm', sides.wasm));
console.log(row('wasm+native', sides.native));
console.log(
  `native speed-up: wall min ${(Math.min(...sides.wasm.wall) / Math.min(...sides.native.wall)).toFixed(2)}x, ` +
    `cpu median ${(median(sides.wasm.cpu) / median(sides.native.cpu)).toFixed(2)}x; tokens/s native (wall min) ${((batch * length) / Math.min(...sides.native.wall) * 1000).toFixed(0)}; ` +
    `load average ${load0.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`,
);
trainer.dispose();
policy.dispose();
model.dispose();

// W1-style training throughput with worker threads (BUILT packages, wasm): tokens/s
// of a plain Trainer on the main thread and of createParallelTrainer with 1 and 2
// workers (argv[2..]: worker counts, default 1 2), batch 32 x length 64, median of
// 4 timed updates after 1 warm-up. Prints one JSON line. Usage: node test/parallel-bench.mjs
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { Trainer } from '@anira/model';
import { createParallelTrainer } from '@anira/model/node';
import { setup } from './parallel-bench-setup.mjs';

await tf.setBackend('wasm');
const setupData = { length: 64 };
const config = { batchSize: 32, steps: 1_000_000, evalEvery: 0, seed: 3 };
const tokens = config.batchSize * setupData.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(step) {
  await step();
  const ms = [];
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    await step();
    ms.push(performance.now() - t0);
  }
  return { medianStepMs: median(ms), tokensPerSecond: tokens / (median(ms) / 1000) };
}
const out = { backend: 'wasm', batch: config.batchSize, length: setupData.length };
{
  const r = setup(setupData);
  const t = new Trainer({ ...r, config });
  out.trainer = await time(() => t.trainStep());
  t.dispose();
}
for (const w of (process.argv.length > 2 ? process.argv.slice(2) : ['1', '2']).map(Number)) {
  const t = await createParallelTrainer({ setupModule: new URL('./parallel-bench-setup.mjs', import.meta.url), setupData, workers: w, backend: 'wasm', config });
  out[`workers${w}`] = await time(() => t.trainStep());
  await t.close();
  t.dispose();
}
console.log(JSON.stringify(out));

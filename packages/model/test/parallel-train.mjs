// Plain-Node run of data-parallel training with the BUILT packages (worker threads
// load built JS). Mode argv[2]:
// - `curves`: a plain Trainer and ParallelTrainer runs with 1 and 2 workers (the second half
//   through the shared `runAsync`), 50
//   updates each from the same seed (tensor count after update 10 and after 50);
//   prints one JSON line.
// - `resume`: a 2-worker run checkpointed after 20 updates and resumed in a fresh
//   ParallelTrainer (fresh workers) to 50, against an uninterrupted one; a plain
//   Trainer restores the parallel checkpoint. One JSON line.
// - `crash` / `exit`: worker 1 throws (exits) at update 3; prints the error line and the time it took.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { Trainer } from '@anira/model';
import { createParallelTrainer } from '@anira/model/node';
import { setup } from './parallel-setup.mjs';

await tf.setBackend('cpu');
const setupModule = new URL('./parallel-setup.mjs', import.meta.url);
const policy = process.argv[3] ?? 'anira-e';
const config = { steps: 50, batchSize: 8, lr: 1e-2, warmupSteps: 5, evalEvery: 10, seed: 5 };
const sha = (b) => createHash('sha256').update(b).digest('hex');

async function parallel(workers, untilStep, extra = {}) {
  const logs = [];
  const t = await createParallelTrainer({ setupModule, setupData: { policy, ...extra }, workers, backend: 'cpu', config, onLog: (e) => logs.push(e) });
  return { t, logs, run: (n) => t.run(n ?? untilStep) };
}

if (process.argv[2] === 'curves') {
  const rep = setup({ policy });
  const tLogs = [];
  const trainer = new Trainer({ model: rep.model, policy: rep.policy, example: rep.example, evalExamples: rep.evalExamples, config, onLog: (e) => tLogs.push(e) });
  trainer.run();
  const trainerCkpt = sha(await trainer.checkpoint());
  await trainer.close(); // the surface every trainer shares (nothing to release here)
  const out = { trainer: tLogs.map((e) => e.loss), trainerNorm: tLogs.map((e) => e.gradNorm), trainerCkpt, readEvery: [trainer.readEvery] };
  for (const w of [1, 2]) {
    const p = await parallel(w, 50);
    await p.run(10);
    const before = tf.memory().numTensors;
    await p.t.runAsync(); // the shared async run, the same as run()
    out.readEvery.push(p.t.readEvery);
    out[`w${w}`] = p.logs.map((e) => e.loss);
    out[`w${w}Norm`] = p.logs.map((e) => e.gradNorm);
    out[`w${w}Eval`] = p.logs.filter((e) => e.eval).map((e) => e.eval.accuracy);
    out[`w${w}Ckpt`] = sha(await p.t.checkpoint());
    out[`w${w}Tensors`] = tf.memory().numTensors - before;
    await p.t.close();
  }
  console.log(JSON.stringify(out));
} else if (process.argv[2] === 'resume') {
  const out = {};
  const full = await parallel(2, 50);
  await full.run();
  out.full = full.logs.map((e) => e.loss);
  out.fullCkpt = sha(await full.t.checkpoint());
  await full.t.close();
  // Resume: 20 updates, checkpoint, a fresh trainer (fresh workers) restores and runs to 50.
  const a = await parallel(2, 20);
  await a.run();
  const bytes = await a.t.checkpoint();
  await a.t.close();
  const b = await parallel(2, 50);
  b.t.restore(bytes);
  await b.run();
  out.resumed = b.logs.map((e) => e.loss);
  out.resumedCkpt = sha(await b.t.checkpoint());
  // A Trainer restores the parallel checkpoint.
  const rep = setup({ policy });
  const trainer = new Trainer({ model: rep.model, policy: rep.policy, example: rep.example, config });
  trainer.restore(bytes);
  out.trainerFromParallelStep = trainer.step;
  await b.t.close();
  console.log(JSON.stringify(out));
} else {
  const p = await parallel(2, 50, { failWorker: 1, failAt: 3 * config.batchSize, failMode: process.argv[2] });
  const t0 = Date.now();
  let message = 'no error';
  try {
    await p.run();
  } catch (e) {
    message = e.message;
  }
  console.log(JSON.stringify({ message, ms: Date.now() - t0, steps: p.t.step }));
}

/**
 * Entry of one parallel-training worker thread (built as `dist/parallel-worker.js`).
 * It imports the setup module, selects its own tfjs backend, builds its replica
 * and checks that its variable layout is the main thread's. Then, for every step
 * command: load the main thread's weights, compute the gradient of its shard of
 * the global batch, write it and its stats into its slots, and count itself done.
 * It blocks in `Atomics.wait` with a timeout between commands; any exception
 * ends the thread and reaches the main thread as an `error` event.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { workerData } from 'node:worker_threads';
import { collate } from '../batch.js';
import { haltingPhase } from '../schedule.js';
import { trainableVariables } from '../training-core.js';
import { assignWeights, checkLayout, layoutOf, type VariableLayout } from './layout.js';
import { loadReplica } from './setup.js';
import { lossTokenCount, shardGradients, shardRange } from './shard.js';
import { CMD_QUIT, Ctl, MAX_TERMS, NAMES_BYTES, STATS_SIZE, viewsOf, type SharedBuffers } from './shared-memory.js';

/** What the main thread passes to each worker. */
export interface WorkerInit {
  readonly setupModule: string;
  readonly setupData: unknown;
  readonly backend?: string;
  readonly index: number;
  readonly workers: number;
  readonly batchSize: number;
  readonly seed: number;
  /** The trainer's warm start and penalty ramp (schedule.ts `haltingPhase`). */
  readonly warmStartSteps: number;
  readonly penaltyRampSteps: number;
  readonly layout: VariableLayout;
  readonly buffers: SharedBuffers;
}

/** Set up, then serve commands until told to quit. */
async function main(init: WorkerInit): Promise<void> {
  const where = `worker ${init.index}`;
  const replica = await loadReplica(init.setupModule, init.setupData, async () => {
    if (init.backend === undefined) return;
    const ok = await tf.setBackend(init.backend).catch(() => false);
    if (!ok) throw new AniraInputError(`${where}: tfjs backend "${init.backend}" could not be initialised (import its package in the setup module)`);
  });
  const vars = trainableVariables(replica.model, replica.policy);
  const layout = layoutOf(vars);
  checkLayout(layout, init.layout, where);
  const views = viewsOf(init.buffers);
  const ctl = views.control;
  const p = layout.size;
  const nv = layout.entries.length;
  const [start, end] = shardRange(init.index, init.workers, init.batchSize);
  Atomics.add(ctl, Ctl.ready, 1);
  Atomics.notify(ctl, Ctl.ready);

  let gen = 0;
  for (;;) {
    while (Atomics.load(ctl, Ctl.gen) === gen) Atomics.wait(ctl, Ctl.gen, gen, 1000);
    gen = Atomics.load(ctl, Ctl.gen);
    if (Atomics.load(ctl, Ctl.cmd) === CMD_QUIT) break;
    const s = Atomics.load(ctl, Ctl.step);
    assignWeights(vars, layout, views.weights);
    const examples = Array.from({ length: end - start }, (_, i) => replica.example(s * init.batchSize + start + i));
    const batch = collate(examples, replica.maxLength ?? Atomics.load(ctl, Ctl.length));
    const stats = shardGradients(
      replica.model, replica.policy, vars, layout, batch, init.seed, s,
      views.grads.subarray(init.index * p, (init.index + 1) * p), views.present.subarray(init.index * nv, (init.index + 1) * nv),
      haltingPhase(s, init.warmStartSteps, init.penaltyRampSteps),
    );
    const names = Object.keys(stats.terms);
    if (names.length > MAX_TERMS) throw new AniraInputError(`${where}: the policy reports ${names.length} loss terms, at most ${MAX_TERMS} are supported`);
    const slot = views.stats.subarray(init.index * STATS_SIZE, (init.index + 1) * STATS_SIZE);
    slot.set([lossTokenCount(batch), stats.taskLoss, stats.policyLoss, stats.accuracy, stats.meanDepth, names.length, ...names.map((k) => stats.terms[k]!)]);
    if (init.index === 0) {
      const json = new TextEncoder().encode(JSON.stringify(names));
      if (json.length > NAMES_BYTES) throw new AniraInputError(`${where}: loss-term names exceed ${NAMES_BYTES} bytes of JSON`);
      views.names.set(json);
      Atomics.store(ctl, Ctl.namesLength, json.length);
    }
    Atomics.add(ctl, Ctl.done, 1);
    Atomics.notify(ctl, Ctl.done);
  }
}

// A failure becomes an uncaught exception: the main thread sees an `error` event.
main(workerData as WorkerInit).catch((e: unknown) => setImmediate(() => { throw e; }));

/**
 * A stacked run of K seeds equals K lone runs: each replica's losses over 50
 * updates, held-out evaluations, early stopping and checkpoints match the lone
 * `Trainer` of the same seed within 1e-4 relative (wasm backend, small model).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPolicy } from '@anira/halting';
import { deserializeCheckpoint } from './checkpoint.js';
import { defaultModelConfig, type ModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';
import { StackedTrainer } from './stacked-trainer.js';
import type { StackedReplicaOptions } from './stacked-replica.js';
import { Trainer } from './trainer.js';
import { NonFiniteTrainingError } from './errors.js';
import type { HaltingPolicy } from '@anira/halting';
import type { TrainLogEntry } from './training-core.js';
import type { TrainerConfig } from './trainer-config.js';
import { randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const SEEDS = [0, 1, 2];
const modelConfig = (seed: number): ModelConfig => defaultModelConfig({ vocabSize: 7, maxLength: 12, dModel: 16, nHeads: 2, tMax: 3, seed });
const trainerConfig = (seed: number): Partial<TrainerConfig> => ({ steps: 50, batchSize: 6, lr: 1e-2, warmupSteps: 5, evalEvery: 10, patience: 1, minDelta: 0.02, clipNorm: 0.5, seed });
/** Replica `seed`'s own data: its copy lengths and stream differ from the other seeds'. */
const example = (seed: number) => (i: number) => randomCopy(seed * 100_000 + i, 2 + ((i + seed) % 3));
const evalSet = (seed: number) => Array.from({ length: 12 }, (_, i) => randomCopy(9_000_000 + seed * 1000 + i, 3));

function replica(seed: number, policyName: string, log: TrainLogEntry[]): StackedReplicaOptions {
  const model = new LoopedTransformer(modelConfig(seed));
  const policy = createPolicy(policyName, { dModel: 16, vocabSize: 7, tMax: 3, seed }, policyName === 'anira-e' ? { gumbel: true } : {});
  return { model, policy, example: example(seed), config: trainerConfig(seed), evalExamples: evalSet(seed), meta: { seed }, onLog: (e) => log.push(e) };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);

describe('StackedTrainer', () => {
  for (const policyName of ['anira-e', 'act']) {
    it(`trains ${SEEDS.length} seeds as one model, each within 1e-4 of its lone run (${policyName})`, async () => {
      const stackedLogs = SEEDS.map(() => [] as TrainLogEntry[]);
      const reps = SEEDS.map((s, k) => replica(s, policyName, stackedLogs[k]!));
      const stacked = new StackedTrainer({ replicas: reps });
      const result = stacked.run();
      for (const [k, seed] of SEEDS.entries()) {
        const lonelog: TrainLogEntry[] = [];
        const lone = replica(seed, policyName, lonelog);
        const trainer = new Trainer({ ...lone, maxLength: undefined } as never);
        const r = trainer.run();
        const got = result.replicas[k]!;
        if (got instanceof Error) throw got;
        expect(got.stopped).toBe(r.stopped);
        expect(got.step).toBe(r.step);
        const mine = stackedLogs[k]!;
        expect(mine.map((e) => e.step)).toEqual(lonelog.map((e) => e.step));
        for (const [i, e] of lonelog.entries()) {
          const m = mine[i]!;
          for (const key of ['loss', 'taskLoss', 'policyLoss', 'gradNorm', 'accuracy', 'meanDepth'] as const) {
            expect(rel(m[key], e[key]), `seed ${seed} update ${e.step} ${key}: ${m[key]} vs ${e[key]}`).toBeLessThan(1e-4);
          }
          expect(m.eval === undefined).toBe(e.eval === undefined);
          if (e.eval) for (const key of ['accuracy', 'exact', 'meanDepth'] as const) expect(rel(m.eval![key], e.eval[key])).toBeLessThan(1e-4);
        }
        // the replica's checkpoint is the lone run's: same header, same tensors, values within tolerance
        const a = deserializeCheckpoint(await stacked.replicas[k]!.checkpoint());
        const b = deserializeCheckpoint(await trainer.checkpoint());
        expect(a.header.meta).toEqual(b.header.meta);
        expect(Object.keys(a.tensors).sort()).toEqual(Object.keys(b.tensors).sort());
        for (const [name, t] of Object.entries(b.tensors)) {
          const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a.tensors[name]!, t))).dataSync()[0]! / Math.max(tf.max(tf.abs(t)).dataSync()[0]!, 1e-6));
          // weights within 1e-4; Adam's moments (averages of gradients that nearly cancel) within 1e-3
          expect(d, `seed ${seed} checkpoint tensor ${name}`).toBeLessThan(name.startsWith('optim/') ? 1e-3 : 1e-4);
        }
        expect(stacked.replicas[k]!.bestStep).toBe(trainer.bestStep);
        tf.dispose([...Object.values(a.tensors), ...Object.values(b.tensors)]);
        trainer.dispose();
        lone.model.dispose();
        lone.policy.dispose();
      }
      console.log(`${policyName}: replicas stopped`, result.replicas.map((r) => (r instanceof Error ? r.message : `${r.stopped}@${r.step}`)).join(', '));
      stacked.dispose();
      for (const r of reps) {
        r.model.dispose();
        r.policy.dispose();
      }
    });
  }
});

/** `policy` whose training loss turns NaN from its `from`-th call on (a replica that diverges). */
function divergesAt(policy: HaltingPolicy, from: number): HaltingPolicy {
  let calls = 0;
  return {
    ...policy,
    variables: policy.variables,
    dispose: () => policy.dispose(),
    train: (input) => {
      const out = policy.train(input);
      return ++calls >= from ? { ...out, loss: tf.mul(out.loss, NaN) as tf.Scalar } : out;
    },
    ...(policy.start ? { start: (input: Parameters<NonNullable<HaltingPolicy['start']>>[0]) => policy.start!(input) } : {}),
    step: (input) => policy.step(input),
  };
}

describe('StackedTrainer failures', () => {
  it('a replica whose loss turns NaN stops alone with its last finite weights; the others train on as lone runs', async () => {
    const steps = 8;
    const cfg = (seed: number) => {
      const { patience: _, ...rest } = trainerConfig(seed);
      return { ...rest, steps, evalEvery: 0 };
    };
    const logs = SEEDS.map(() => [] as TrainLogEntry[]);
    const reps = SEEDS.map((s, k) => {
      const r = replica(s, 'anira-o', logs[k]!);
      return { ...r, config: cfg(s), ...(k === 1 ? { policy: divergesAt(r.policy, 4) } : {}) };
    });
    const stacked = new StackedTrainer({ replicas: reps });
    const result = stacked.run();
    const failed = result.replicas[1];
    expect(failed).toBeInstanceOf(NonFiniteTrainingError);
    expect((failed as NonFiniteTrainingError).step).toBe(4);
    expect(logs[1]!.map((e) => e.step)).toEqual([1, 2, 3]);
    for (const [k, seed] of SEEDS.entries()) {
      const lonelog: TrainLogEntry[] = [];
      const base = replica(seed, 'anira-o', lonelog);
      const lone = { ...base, config: cfg(seed), ...(k === 1 ? { policy: divergesAt(base.policy, 4) } : {}) };
      const trainer = new Trainer(lone);
      if (k === 1) expect(() => trainer.run()).toThrow(NonFiniteTrainingError);
      else expect(trainer.run().step).toBe(steps);
      expect(logs[k]!.length).toBe(lonelog.length);
      lonelog.forEach((e, i) => expect(rel(logs[k]![i]!.loss, e.loss)).toBeLessThan(1e-4));
      // the failed replica keeps the weights before the failed update, as the lone trainer does
      const a = deserializeCheckpoint(await stacked.replicas[k]!.checkpoint());
      const b = deserializeCheckpoint(await trainer.checkpoint());
      for (const [name, t] of Object.entries(b.tensors)) {
        if (name.startsWith('optim/')) continue;
        const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a.tensors[name]!, t))).dataSync()[0]! / Math.max(tf.max(tf.abs(t)).dataSync()[0]!, 1e-6));
        expect(d, `seed ${seed} ${name}`).toBeLessThan(1e-4);
      }
      tf.dispose([...Object.values(a.tensors), ...Object.values(b.tensors)]);
      trainer.dispose();
      lone.model.dispose();
      base.policy.dispose();
    }
    stacked.dispose();
    for (const r of reps) {
      r.model.dispose();
      r.policy.dispose();
    }
  });
});

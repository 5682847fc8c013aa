/**
 * The model side of the page, with no DOM: build a small model + ANIRA-O policy for a
 * task, train it with @anira/model's `Trainer`, load a checkpoint written in Node
 * (`Trainer.checkpoint` or the CLI's `checkpoint.anira`) with @anira/model's
 * exported `loadCheckpoint` (no Trainer needed), and run skipping inference
 * returning plain arrays (exit depth, prediction, softmax probabilities at the exit
 * state). `predict` reads synchronously (Node); `predictAsync` only with `await data()`
 * (the page, WebGPU). The browser test runs this same module in Node for the reference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getPolicyDefinition, type HaltingPolicy } from '@anira/halting';
import { IGNORE, deriveExampleSeed, generateExample, getTask, sampleDataset, type Example, type Task } from '@anira/tasks';
import {
  LoopedTransformer, Trainer, collate, defaultModelConfig, infer, inferAsync, loadCheckpoint as loadModelCheckpoint,
  type Batch, type CheckpointSource, type InferResult, type ModelConfig, type TrainLogEntry,
} from '@anira/model';

/** A model, its policy, its trainer (fresh sessions only), and the task it is for. */
export interface Session {
  readonly task: Task;
  readonly params: Record<string, number>;
  readonly model: LoopedTransformer;
  readonly policy: HaltingPolicy;
  readonly trainer?: Trainer;
  /** Training example number `index` (deterministic). */
  readonly example: (index: number) => Example;
  /** Checkpoint meta when loaded from one. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** What a new in-page session trains. */
export interface SessionOptions {
  readonly task: string;
  readonly size: number;
  readonly steps: number;
  readonly batchSize?: number;
  readonly dModel?: number;
  readonly tMax?: number;
  readonly seed?: number;
  readonly policy?: string;
  /** Called after every training update (`Trainer` option `onLog`). */
  readonly onLog?: (entry: TrainLogEntry) => void;
}

function build(task: Task, params: Record<string, number>, config: ModelConfig, policyName: string, policyOptions: Record<string, unknown>,
  trainer: Record<string, unknown>, seed: number, meta?: Record<string, unknown>, onLog?: (entry: TrainLogEntry) => void): Session & { readonly trainer: Trainer } {
  const model = new LoopedTransformer(config);
  const def = getPolicyDefinition(policyName);
  const policy = def.create({ dModel: config.dModel, vocabSize: config.vocabSize, tMax: config.tMax, seed: config.seed }, policyOptions);
  const example = (i: number) => generateExample(task, params, deriveExampleSeed(seed, i));
  const t = new Trainer({
    model, policy, example, config: trainer, meta: { task: { name: task.name, params, trainSizes: [params[task.sizeParam]!] } },
    ...(onLog ? { onLog } : {}),
  });
  const s = { task, params, model, policy, trainer: t, example };
  return meta ? { ...s, meta } : s;
}

/** A fresh small model on `task` at `size` (tiny defaults so WebGPU-on-SwiftShader stays quick). */
export function createSession(o: SessionOptions): Session & { readonly trainer: Trainer } {
  const task = getTask(o.task);
  const params = task.resolveParams({ [task.sizeParam]: o.size });
  const seed = o.seed ?? 0;
  const config = defaultModelConfig({
    vocabSize: task.vocab.size, maxLength: task.maxLength(params), dModel: o.dModel ?? 16, nHeads: 2, tMax: o.tMax ?? 4, seed,
  });
  const trainer = { steps: o.steps, batchSize: o.batchSize ?? 16, lr: 1e-2, warmupSteps: Math.min(10, Math.floor(o.steps / 4)), evalEvery: 0, seed };
  return build(task, params, config, o.policy ?? 'anira-o', {}, trainer, seed, undefined, o.onLog);
}

/**
 * A session for a checkpoint (bytes, or a URL @anira/model fetches): model and policy
 * from @anira/model's `loadCheckpoint`, the task from the header's `task` record.
 */
export async function loadCheckpoint(source: CheckpointSource): Promise<Session> {
  const { model, policy, meta } = await loadModelCheckpoint(source);
  const task = meta['task'] as { name?: string; params?: Record<string, number> } | undefined;
  if (!task?.name) {
    model.dispose();
    policy.dispose();
    throw new Error('checkpoint: header has no "task.name" (write it with Trainer meta { task: { name, params } })');
  }
  const t = getTask(task.name);
  const example = (i: number) => generateExample(t, task.params ?? {}, deriveExampleSeed(model.config.seed, i));
  return { task: t, params: t.resolveParams(task.params ?? {}), model, policy, example, meta };
}

/** Fixed sample inputs for display and for comparing Node with the browser. */
export function sampleInputs(s: Session, n: number, seed = 12345): Example[] {
  return sampleDataset(s.task, s.params, { n, seed });
}

/** Per example: every position's token, and at target positions the model's exit depth and prediction. */
export interface TokenView {
  readonly token: string;
  readonly target: string | null;
  readonly difficulty: number | null;
  readonly prediction: string | null;
  readonly exitDepth: number | null;
}

/** Inference results as plain arrays over target tokens (example order, then position). */
export interface Predictions {
  readonly exitDepth: number[];
  readonly prediction: number[];
  /** Softmax probabilities at each target token's exit state, `[tokens * V]` flattened. */
  readonly probs: number[];
  readonly views: TokenView[][];
  readonly tMax: number;
}

/** Skipping inference on `examples`; probabilities come from the head at each token's frozen exit state. */
export function predict(s: Session, examples: readonly Example[]): Predictions {
  const batch = collate(examples);
  const r = infer(s.model, s.policy, batch, { recordStates: true });
  const probs = exitProbs(s, r);
  const p = probs.dataSync();
  probs.dispose();
  return toPredictions(s, examples, batch, r, p);
}

/** `predict` with asynchronous reads only (`inferAsync`, `await data()`): works on WebGPU with a software adapter. */
export async function predictAsync(s: Session, examples: readonly Example[]): Promise<Predictions> {
  const batch = collate(examples);
  const r = await inferAsync(s.model, s.policy, batch, { recordStates: true });
  const probs = exitProbs(s, r);
  try {
    return toPredictions(s, examples, batch, r, await probs.data());
  } finally {
    probs.dispose();
  }
}

/** Softmax of the head at the last recorded state `[B*T, V]` (a halted token's state is frozen at its exit). */
function exitProbs(s: Session, r: InferResult): tf.Tensor2D {
  const last = r.states![r.states!.length - 1]!; // [B*T*C]
  const n = r.batch * r.length;
  return tf.tidy(() => tf.softmax(s.model.head(tf.tensor2d(last, [n, s.model.config.dModel]))) as tf.Tensor2D);
}

function toPredictions(s: Session, examples: readonly Example[], batch: Batch, r: InferResult, p: ArrayLike<number>): Predictions {
  const v = s.model.config.vocabSize;
  const out: Predictions = { exitDepth: [], prediction: [], probs: [], views: [], tMax: r.tMax };
  examples.forEach((ex, b) => {
    const view: TokenView[] = [];
    ex.input.forEach((id, t) => {
      const i = b * batch.length + t;
      const hasTarget = ex.target[t]! !== IGNORE;
      if (hasTarget) {
        out.exitDepth.push(r.exitDepth[i]!);
        out.prediction.push(r.prediction[i]!);
        for (let k = 0; k < v; k++) out.probs.push(p[i * v + k]!);
      }
      view.push({
        token: s.task.vocab.token(id),
        target: hasTarget ? s.task.vocab.token(ex.target[t]!) : null,
        difficulty: hasTarget ? ex.difficulty[t]! : null,
        prediction: hasTarget ? s.task.vocab.token(r.prediction[i]!) : null,
        exitDepth: hasTarget ? r.exitDepth[i]! : null,
      });
    });
    out.views.push(view);
  });
  return out;
}

/** Free every tensor the session holds. */
export function disposeSession(s: Session): void {
  s.trainer?.dispose();
  s.model.dispose();
  s.policy.dispose();
}

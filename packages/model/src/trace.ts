/**
 * Trace production: run skipping inference over examples and emit the `Trace`
 * seam of @anira/metrics (one record per target token: exit depth, expected
 * depth, per-step halting probabilities and predictions, difficulty, features,
 * executed FLOPs). Plain JSON, no tensors. `traceExamplesAsync` reads with
 * `await data()` (same read loop, see read-loop.ts).
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { HaltingPolicy } from '@anira/halting';
import { TRACE_FORMAT_VERSION, type ExampleTrace, type TokenTrace, type Trace, type TraceFeatureSpec } from '@anira/metrics/trace';
import type { Example } from '@anira/tasks';
import { collate } from './batch.js';
import { iterationFlops, keysAttended } from './flops.js';
import { inferLoop } from './infer.js';
import type { LoopedTransformer } from './model.js';
import { checkBatchFits, checkPolicyFits } from './validate.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';

export interface TraceOptions {
  /** Inference T_max (default: the model's training tMax). */
  readonly tMax?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly trainTMax: number;
  readonly trainSizes: readonly number[];
  readonly taskFeatures: readonly TraceFeatureSpec[];
  readonly label?: string;
}

function pick(cols: Readonly<Record<string, readonly number[]>>, t: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(cols)) {
    const x = v[t];
    if (x === undefined) throw new Error(`invariant: feature "${k}" has ${v.length} values, none at position ${t}`);
    out[k] = x;
  }
  return out;
}

/** Trace `examples` under `policy` (synchronous reads). */
export function traceExamples(model: LoopedTransformer, policy: HaltingPolicy, examples: readonly Example[], options: TraceOptions): Trace {
  return runSync(traceLoop(model, policy, examples, options));
}

/** `traceExamples` with asynchronous reads (`await data()`); identical trace. */
export function traceExamplesAsync(
  model: LoopedTransformer, policy: HaltingPolicy, examples: readonly Example[], options: TraceOptions,
): Promise<Trace> {
  return runAsync(traceLoop(model, policy, examples, options));
}

function* traceLoop(model: LoopedTransformer, policy: HaltingPolicy, examples: readonly Example[], options: TraceOptions): ReadLoop<Trace> {
  const tMax = options.tMax ?? model.config.tMax;
  const bs = options.batchSize ?? 32;
  if (!Number.isInteger(bs) || bs < 1) throw new AniraInputError(`traceExamples: "batchSize" must be an integer >= 1, got ${bs}`);
  checkPolicyFits('traceExamples', model, policy);
  const causal = model.config.attention === 'causal';
  const out: ExampleTrace[] = [];
  let keySum = 0;
  let keyCount = 0;
  for (let s = 0; s < examples.length; s += bs) {
    const chunk = examples.slice(s, s + bs);
    const batch = collate(chunk);
    checkBatchFits('traceExamples', model, batch);
    const r = yield* inferLoop(model, policy, batch, { tMax, seed: options.seed ?? 0 });
    const { haltProbs } = r;
    chunk.forEach((ex, b) => {
      const tokens: TokenTrace[] = [];
      for (let t = 0; t < ex.input.length; t++) {
        const target = ex.target[t];
        if (target === undefined) throw new Error(`invariant: example has ${ex.target.length} targets, none at position ${t}`);
        if (target < 0) continue;
        const difficulty = ex.difficulty[t];
        if (difficulty === undefined) throw new Error(`invariant: example has ${ex.difficulty.length} difficulties, none at position ${t}`);
        const i = b * batch.length + t;
        const depth = r.exitDepth[i], prediction = r.prediction[i], flops = r.flops[i];
        if (depth === undefined || prediction === undefined || flops === undefined) throw new Error(`invariant: inference result has no token ${i}`);
        const expected = r.expectedDepth ? r.expectedDepth[i] : null;
        if (expected === undefined) throw new Error(`invariant: expected depth has no token ${i}`);
        const expectedDepth = expected === null ? null : withinRounding(expected, tMax);
        const stepValue = (rows: readonly ArrayLike<number>[], k: number): number => {
          const v = rows[k]?.[i];
          if (v === undefined) throw new Error(`invariant: step ${k + 1} has no value for token ${i}`);
          return v;
        };
        const steps = Array.from({ length: depth }, (_, k) => k);
        keySum += keysAttended(batch.mask, b * batch.length, batch.length, t, causal);
        keyCount++;
        tokens.push({
          position: t,
          target,
          prediction,
          correct: prediction === target,
          exitDepth: depth,
          expectedDepth,
          haltProbs: haltProbs ? steps.map((k) => stepValue(haltProbs, k)) : null,
          stepPredictions: steps.map((k) => stepValue(r.stepPredictions, k)),
          difficulty,
          features: { static: pick(ex.features.static, t), position: pick(ex.features.position, t), dynamic: pick(ex.features.dynamic, t) },
          flops,
        });
      }
      out.push({ meta: ex.meta, size: ex.size, exact: tokens.every((k) => k.correct), tokens });
    });
  }
  const header = {
    kind: 'anira-trace' as const,
    version: TRACE_FORMAT_VERSION,
    task: examples[0]?.meta.task ?? 'unknown',
    policy: policy.name,
    tMax,
    trainTMax: options.trainTMax,
    flopsPerIteration: iterationFlops(model.config, keyCount ? keySum / keyCount : 0),
    features: options.taskFeatures.map(({ name, group, kind }) => ({ name, group, kind })),
    trainSizes: [...options.trainSizes],
    ...(options.label !== undefined ? { label: options.label } : {}),
  };
  return { header, examples: out };
}

/**
 * An expected depth sum_t t p_t summed in float32 can land a few ulps outside
 * [1, tMax] (6.000000476837158 for a distribution with all its mass on step 6):
 * such values are the bound. Anything further out is left as it is, for the
 * trace's validation to refuse.
 */
export function withinRounding(expected: number, tMax: number): number {
  const ulps = 8 * 2 ** -23 * tMax;
  if (expected > tMax && expected <= tMax + ulps) return tMax;
  if (expected < 1 && expected >= 1 - ulps) return 1;
  return expected;
}

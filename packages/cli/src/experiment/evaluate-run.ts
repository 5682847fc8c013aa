/**
 * Evaluate a trained run: inference traces over every evaluation size at the
 * training T_max (`trace.jsonl`) and at each extra inference T_max
 * (`trace-tmax-N.jsonl`), written atomically. Each header records `weightsStep`, the
 * update whose weights were traced (the best held-out evaluation, as `run` and `eval` load).
 */
import { traceExamples, traceExamplesAsync, type LoopedTransformer } from '@anira/model';
import { traceToJsonl, type Trace } from '@anira/metrics';
import type { HaltingPolicy } from '@anira/halting';
import type { ExperimentConfig } from './config.js';
import { evalSet, selectionKeys, type TaskSetup } from './setup.js';
import type { RunFolder } from './run-folder.js';
import { usesAsyncReads } from '../backend.js';

export interface EvaluateOptions {
  readonly sizes?: readonly number[];
  readonly tMax?: readonly number[];
  readonly examples?: number;
}

/** Trace the run at the training T_max and every extra T_max; returns the traces, main first. */
export async function evaluateRun(
  cfg: ExperimentConfig,
  folder: RunFolder,
  run: { setup: TaskSetup; model: LoopedTransformer; policy: HaltingPolicy; weightsStep: number },
  opts: EvaluateOptions = {},
): Promise<Trace[]> {
  const { setup, model, policy } = run;
  const sizes = opts.sizes ?? setup.evalSizes;
  const n = opts.examples ?? cfg.eval.examples;
  const selection = selectionKeys(setup, cfg);
  const examples = sizes.flatMap((size) => evalSet(setup, cfg.seed, size, n, selection));
  const trainTMax = model.config.tMax;
  const tMaxes = [...new Set([trainTMax, ...(opts.tMax ?? cfg.eval.tMax)])];
  const traces: Trace[] = [];
  for (const tMax of tMaxes) {
    const options = {
      tMax,
      trainTMax,
      trainSizes: setup.trainSizes,
      taskFeatures: setup.task.features,
      label: tMax === trainTMax ? cfg.name : `${cfg.name} (T=${tMax})`,
      seed: cfg.seed,
    };
    const traced = usesAsyncReads() ? await traceExamplesAsync(model, policy, examples, options) : traceExamples(model, policy, examples, options);
    const proxies = new Set(setup.task.features.filter((f) => f.proxy === true).map((f) => f.name));
    const features = traced.header.features.map((f) => (proxies.has(f.name) ? { ...f, proxy: true } : f));
    const trace: Trace = { ...traced, header: { ...traced.header, features, weightsStep: run.weightsStep } };
    folder.writeTrace(tMax, trainTMax, traceToJsonl(trace));
    traces.push(trace);
  }
  return traces;
}

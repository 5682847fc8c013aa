/** Runs every workload on one backend and assembles that backend's result. */
import type { BackendResult } from './results.js';
import { useBackend } from './backend.js';
import type { BackendName, BenchPlan } from './sizes.js';
import { runTraining } from './w1-train.js';
import { runInference } from './w2-infer.js';
import { runTasks } from './w3-tasks.js';
import { measureCounts } from './counts.js';

/** Updates in the counted training run (reads per update = reads per log interval / interval). */
export const COUNT_RUN_UPDATES = 10;

export interface SuiteOptions {
  readonly quick: boolean;
  /** Called before each workload (progress output). */
  readonly onStage?: (stage: string) => void;
}

/** Switch to `backend` and run W1+W4, W2 and W3 with `plan`. */
export async function runSuite(backend: BackendName, plan: BenchPlan, options: SuiteOptions): Promise<BackendResult> {
  const t0 = performance.now();
  const adapter = await useBackend(backend);
  if (adapter) options.onStage?.(`${backend}: adapter ${adapter}`);
  options.onStage?.(`${backend}: W1 training (${plan.train.warmup} + ${plan.train.reps} steps) + W4 leak check (${plan.sizes.leakSteps} steps)`);
  const { train, memory } = await runTraining(plan.sizes, plan.train);
  options.onStage?.(`${backend}: W2 inference`);
  const w2Infer = await runInference(plan.sizes, plan.infer);
  options.onStage?.(`${backend}: W3 task generators`);
  const w3Tasks = runTasks(plan.sizes, plan.tasks);
  // device work counts (counts.ts); skipped on cpu, where a full-size update takes 25-80 s
  if (backend !== 'cpu') options.onStage?.(`${backend}: device work counts`);
  const deviceWork = backend === 'cpu' ? undefined : await measureCounts(plan.sizes, COUNT_RUN_UPDATES);
  return {
    backend, ...(adapter ? { adapter } : {}), quick: options.quick, model: { ...plan.sizes.model },
    w1Train: train, w2Infer, w3Tasks, w4Memory: memory, ...(deviceWork ? { deviceWork } : {}), elapsedMs: performance.now() - t0,
  };
}

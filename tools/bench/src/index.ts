/** Programmatic entry of @anira/bench (re-exports only): the workloads, the suite and the result format. */
export { parseArgs, USAGE, type BenchArgs } from './args.js';
export { BACKENDS, useBackend } from './backend.js';
export { forwardFlops, trainStepFlops } from './flops.js';
export { machineInfo, versions, type MachineInfo, type Versions } from './machine.js';
export { RESULT_FORMAT_VERSION, saveResults, writeAtomic, type BackendResult, type BenchDocument } from './results.js';
export { benchPlan, benchSizes, tinySizes, type BackendName, type BenchPlan, type BenchSizes, type RepCounts } from './sizes.js';
export { median, timeReps, type Timing } from './stats.js';
export { runSuite, type SuiteOptions } from './suite.js';
export { clippedGeometricDepths, syntheticExample } from './synthetic.js';
export { formatTable, summaryRows, TARGETS } from './table.js';
export { runTraining, type MemoryResult, type TrainResult } from './w1-train.js';
export { runInference, type InferRun, type InferWorkloadResult } from './w2-infer.js';
export { runTasks, type TaskRate } from './w3-tasks.js';
export { formatProfile, profileWorkloads, type KernelShare, type PhaseProfile } from './profile.js';

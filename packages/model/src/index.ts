/** Public entry of @anira/model (re-exports only; browser-safe, no `node:` imports). */
export { defaultModelConfig, validateModelConfig, type ModelConfig, type AttentionMode, type PositionMode } from './config.js';
export { collate, type Batch } from './batch.js';
export { LoopedTransformer, type BatchContext } from './model.js';
export { trainForward, type TrainForwardResult } from './forward.js';
export { stackModels } from './stacked.js';
export { stackedTrainForward } from './stacked-forward.js';
export { StackedTrainer, type StackedTrainerOptions, type StackedRunResult } from './stacked-trainer.js';
export { StackedReplica, type StackedReplicaOptions } from './stacked-replica.js';
export { infer, inferAsync, type InferOptions, type InferResult } from './infer.js';
export { layerFlops, iterationFlops, tokenFlops } from './flops.js';
export { evaluate, evaluateAsync, type EvalOptions, type EvalResult } from './evaluate.js';
export { learningRate, haltingPhase, type HaltingPhase } from './schedule.js';
export { defaultTrainerConfig, type TrainerConfig } from './trainer-config.js';
export { Trainer, type TrainerOptions, type TrainLogEntry, type TrainProgress, type TrainRunResult } from './trainer.js';
export type { InitialWeights } from './initial-weights.js';
export { progressLine, formatProgressLine, type ProgressLineOptions } from './progress-line.js';
export { perExample, type ExampleResult, type TokenResult } from './per-example.js';
export {
  serializeCheckpoint, deserializeCheckpoint, readCheckpointHeader,
  CHECKPOINT_MAGIC, CHECKPOINT_VERSION, type CheckpointHeader, type CheckpointWeightSpec,
} from './checkpoint.js';
export { NonFiniteTrainingError, NonFiniteWeightError } from './errors.js';
export { AniraInputError, type AniraInputErrorCode } from '@anira/tasks/errors';
export { traceExamples, traceExamplesAsync, type TraceOptions } from './trace.js';
export type { ModelSummary, SummaryRow } from './summary.js';
export {
  loadCheckpoint, loadCheckpointBytes, saveCheckpoint, checkpointFromArtifacts, CHECKPOINT_ARTIFACTS_FORMAT,
  type LoadedCheckpoint, type LoadCheckpointOptions, type PolicyFactory, type CheckpointSource, type CheckpointMeta,
  type CheckpointLoadHandler, type CheckpointSaveHandler,
} from './load-checkpoint.js';

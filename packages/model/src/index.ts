/** Public entry of @anira/model (re-exports only; browser-safe, no `node:` imports). */
export { defaultModelConfig, validateModelConfig, type ModelConfig, type AttentionMode, type PositionMode } from './config.js';
export { collate, type Batch } from './batch.js';
export { LoopedTransformer, type BatchContext } from './model.js';
export { trainForward, type TrainForwardResult } from './forward.js';
export { infer, type InferOptions, type InferResult } from './infer.js';
export { layerFlops, iterationFlops, tokenFlops, keysAttended } from './flops.js';
export { evaluate, type EvalResult } from './evaluate.js';
export { learningRate } from './schedule.js';
export { defaultTrainerConfig, type TrainerConfig } from './trainer-config.js';
export { Trainer, type TrainerOptions, type TrainLogEntry, type TrainProgress } from './trainer.js';
export {
  serializeCheckpoint, deserializeCheckpoint, readCheckpointHeader, crc32,
  CHECKPOINT_MAGIC, CHECKPOINT_VERSION, type CheckpointHeader, type CheckpointWeightSpec,
} from './checkpoint.js';
export { traceExamples, type TraceOptions } from './trace.js';

/**
 * Node-only checkpoint file IO (`@anira/model/node`): atomic writes (temp file in
 * the same directory, fsync, rename) and reads with one-line errors.
 */
import { readFileSync } from 'node:fs';
import { AniraInputError, pathError } from '@anira/tasks/errors';
import { writeFileAtomic } from '@anira/tensor/node';
import { readCheckpointHeader } from './checkpoint.js';

/** Write `bytes` to `path` atomically (temp file, fsync, rename; see `@anira/tensor/node`). */
export function writeCheckpointFile(path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw Object.assign(new Error(`checkpoint: ${(e as Error).message}`), code ? { code } : {}); // keep ENOSPC etc. for the caller
  }
}

/** `bytes` after `readCheckpointHeader`; a corrupt file's input error starts with `path`. */
function verified(path: string, bytes: Uint8Array): Uint8Array {
  try {
    readCheckpointHeader(bytes);
  } catch (e) {
    if (!AniraInputError.isInstance(e)) throw e;
    throw new AniraInputError(`${path}: ${e.message}`, { code: e.code, field: path, cause: e });
  }
  return bytes;
}

/**
 * Read a checkpoint file and verify it (version 2: the checksum over header and weights; then every header
 * field). A missing or corrupt file is an `AniraInputError` that names `path`.
 */
export function readCheckpointFile(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw pathError(path, e);
  }
  return verified(path, bytes);
}
export { createParallelTrainer, ParallelTrainer, type ParallelTrainerOptions } from './parallel/parallel-trainer.js';
export type { ParallelReplica, ParallelSetup } from './parallel/setup.js';
export { loadCheckpoint } from './load-checkpoint-node.js';
export {
  loadCheckpointBytes, saveCheckpoint, type LoadedCheckpoint, type LoadCheckpointOptions, type PolicyFactory, type CheckpointSource,
} from './load-checkpoint.js';

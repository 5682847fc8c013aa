/**
 * `loadCheckpoint` of the Node entry (`@anira/model/node`): the browser-safe
 * loader plus file paths. A string that is not an http(s) URL or a tf.io scheme
 * (`indexeddb://`...) is read as a file (verified with one-line errors).
 */
import { loadCheckpoint as loadFromSource, type CheckpointSource, type LoadCheckpointOptions, type LoadedCheckpoint } from './load-checkpoint.js';
import { readFileSync } from 'node:fs';
import { AniraInputError, pathError } from '@anira/tasks/errors';

/** Load a checkpoint for inference from a file path, bytes, a tf.io handler or a URL: `{ model, policy, meta }`. */
export async function loadCheckpoint(source: CheckpointSource, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const isPath = typeof source === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source);
  if (!isPath) return loadFromSource(source, options);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(source));
  } catch (e) {
    throw pathError(source, e);
  }
  try {
    return await loadFromSource(bytes, options);
  } catch (e) {
    if (!AniraInputError.isInstance(e) || e.code !== 'invalid-file') throw e;
    throw new AniraInputError(`${source}: ${e.message}`, { code: e.code, field: source, cause: e });
  }
}

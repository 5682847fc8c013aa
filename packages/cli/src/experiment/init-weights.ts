/**
 * `init` in an experiment config: a fresh run starts from another run's model weights
 * (`Trainer.initModel`: the model's only; the policy, optimizer and step start fresh).
 * `from` is a run folder (its checkpoint.anira, which holds both the latest and the
 * best weights) or a `.anira` file (a checkpoint, or a best-weights file such as
 * best.anira). Read once, when the run starts; a resumed run keeps what it started
 * from (the record rides in its checkpoints) and does not read `from` again.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCheckpointFile } from '@anira/model/node';
import { readCheckpointHeader, type InitialWeights } from '@anira/model';
import type { ExperimentConfig } from './config.js';
import { prefixed, UsageError } from '../errors.js';

type Init = NonNullable<ExperimentConfig['init']>;

/** The checkpoint file `init.from` names (a run folder's checkpoint.anira), or a usage error naming the field. */
export function initSource(init: Init): string {
  const path = resolve(init.from);
  if (!existsSync(path)) throw new UsageError(`"init.from": ${init.from} does not exist (a run folder or a .anira checkpoint file, relative to the current directory)`, { code: 'bad-path', field: 'init.from' });
  if (!statSync(path).isDirectory()) return path;
  const file = join(path, 'checkpoint.anira');
  if (!existsSync(file)) throw new UsageError(`"init.from": the run folder ${init.from} has no checkpoint.anira (train it first, or name a .anira file)`, { code: 'bad-path', field: 'init.from' });
  return file;
}

/**
 * Copy `init`'s model weights into `trainer` (at update 0). Returns the note to print
 * (where they came from) and a warning when the source was trained on another task.
 */
export function applyInit(
  cfg: ExperimentConfig & { init: Init }, trainer: { initModel(bytes: Uint8Array, which: 'best' | 'last'): InitialWeights },
): { note: string; warning?: string } {
  const file = initSource(cfg.init);
  const bytes = readCheckpointFile(file);
  let record: InitialWeights;
  try {
    record = trainer.initModel(bytes, cfg.init.weights);
  } catch (e) {
    throw prefixed(`"init.from" ${file}`, e);
  }
  const which = record.weights === 'best' ? 'its best held-out weights' : cfg.init.weights === 'best' ? 'its latest weights (it has no held-out evaluation)' : 'its latest weights';
  const note = `anira: model weights from ${file}, update ${record.step} (${which}); the policy, optimizer and step start fresh`;
  const task = (readCheckpointHeader(bytes).meta as { task?: { name?: unknown } }).task?.name;
  if (typeof task !== 'string' || task === cfg.task.name) return { note };
  return { note, warning: `anira: warning: "init.from" was trained on task "${task}", this run is "${cfg.task.name}"` };
}

/**
 * Load an existing run folder: its config, a model and policy restored from the
 * checkpoint, and its traces. Every failure is a one-line usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseTraceJsonl, type Trace } from '@anira/metrics';
import { parseExperiment, type ExperimentConfig } from './config.js';
import { runFiles, traceFiles } from './run-dir.js';
import { buildRun, restoreRun } from './train-run.js';
import { asUsage, UsageError } from '../errors.js';

export function readRunConfig(dir: string): ExperimentConfig {
  const files = runFiles(dir);
  if (!existsSync(files.config)) throw new UsageError(`run folder "${dir}": no config.json (is it a run folder written by anira?)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(files.config, 'utf8'));
  } catch (e) {
    throw new UsageError(`run folder "${dir}": config.json is not valid JSON (${(e as Error).message})`);
  }
  return asUsage(() => parseExperiment(raw, `${dir}/config.json`));
}

/** Rebuild model + policy for a run folder and load its checkpoint. */
export async function loadTrainedRun(dir: string) {
  const cfg = readRunConfig(dir);
  if (!existsSync(runFiles(dir).checkpoint)) throw new UsageError(`run folder "${dir}": no checkpoint.anira (train it first)`);
  const run = await buildRun(cfg);
  restoreRun(dir, run.trainer);
  return { cfg, ...run };
}

/** Every trace of a run folder, main first. */
export function loadTraces(dir: string): Trace[] {
  const files = traceFiles(dir);
  if (files.length === 0) throw new UsageError(`run folder "${dir}": no trace.jsonl (run \`anira eval ${dir}\` first)`);
  return files.map((f) => {
    try {
      return parseTraceJsonl(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new UsageError(`${f}: ${(e as Error).message}`);
    }
  });
}

/**
 * Load an existing run folder: its config, a model and policy restored from the
 * checkpoint, and its traces. Every bad input is a one-line usage error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseTraceJsonl, type Trace } from '@anira/metrics';
import { parseExperiment, type ExperimentConfig } from './config.js';
import { runFiles, traceFiles } from './run-dir.js';
import { readCheckpointFile } from '@anira/model/node';
import { buildRun, restoreRun } from './train-run.js';
import { prefixed, UsageError } from '../errors.js';
import { tooSmallToAnalyse } from './trace-notes.js';

/** Refuse a run-folder argument that does not exist or names a file (it would fail later as ENOTDIR). */
export function assertRunFolder(dir: string): void {
  if (!existsSync(dir)) throw new UsageError(`run folder "${dir}" does not exist`, { code: 'bad-path' });
  if (!statSync(dir).isDirectory()) throw new UsageError(`run folder "${dir}" is a file, not a folder`, { code: 'bad-path' });
}

/** The number of target tokens over all examples of a trace. */
export const targetTokens = (trace: Trace): number => trace.examples.reduce((n, ex) => n + ex.tokens.length, 0);

export function readRunConfig(dir: string): ExperimentConfig {
  assertRunFolder(dir);
  const files = runFiles(dir);
  if (!existsSync(files.config)) throw new UsageError(`run folder "${dir}": no config.json (is it a run folder written by anira?)`, { code: 'bad-path' });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(files.config, 'utf8'));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new UsageError(`run folder "${dir}": config.json is not valid JSON (${e.message})`, { code: 'invalid-file' });
  }
  return parseExperiment(raw, `${dir}/config.json`);
}

/**
 * Rebuild model + policy for a run folder and load the weights `anira run` evaluates:
 * the best held-out evaluation (the checkpoint's `best/` snapshot, else `best.anira`),
 * or the latest update when the run has no evaluation yet. `weightsStep` is the
 * update whose weights the model now holds (written into each trace header).
 */
export async function loadTrainedRun(dir: string) {
  const cfg = readRunConfig(dir);
  const files = runFiles(dir);
  if (!existsSync(files.checkpoint)) throw new UsageError(`run folder "${dir}": no checkpoint.anira (train it first)`);
  const run = await buildRun(cfg);
  restoreRun(dir, run.trainer);
  if (run.trainer.bestEval === undefined && existsSync(files.best)) {
    try {
      run.trainer.restoreBest(readCheckpointFile(files.best));
    } catch (e) {
      throw prefixed(files.best, e);
    }
  }
  const weightsStep = run.trainer.useBest() ? run.trainer.bestStep : run.trainer.step;
  return { cfg, ...run, weightsStep };
}

/**
 * Every trace of a run folder, main first. A trace that does not parse, or has no
 * target token to analyse, is a one-line usage error naming the file.
 */
export function loadTraces(dir: string): Trace[] {
  assertRunFolder(dir);
  const files = traceFiles(dir);
  if (files.length === 0) throw new UsageError(`run folder "${dir}": no trace.jsonl (run \`anira eval ${dir}\` first)`);
  return files.map((f) => {
    let trace: Trace;
    try {
      trace = parseTraceJsonl(readFileSync(f, 'utf8'));
    } catch (e) {
      throw prefixed(f, e);
    }
    if (targetTokens(trace) === 0) throw new UsageError(`${f}: ${tooSmallToAnalyse(trace)!}`);
    return trace;
  });
}

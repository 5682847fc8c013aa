/**
 * Load an existing run folder: its config, a model and policy restored from the
 * checkpoint, and its traces. Every bad input is a one-line usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseTraceJsonl, type Trace } from '@anira/metrics';
import { parseExperiment, type ExperimentConfig } from './config.js';
import type { RunFolder } from './run-folder.js';
import { readCheckpointFile } from '@anira/model/node';
import { buildRun, restoreRun } from './train-run.js';
import { prefixed, UsageError } from '../errors.js';
import { staleTraceNotes, tooSmallToAnalyse } from './trace-notes.js';

/** The number of target tokens over all examples of a trace. */
export const targetTokens = (trace: Trace): number => trace.examples.reduce((n, ex) => n + ex.tokens.length, 0);

/** The config of an existing run folder (a missing folder, config.json or bad config is a usage error naming it). */
export function readRunConfig(folder: RunFolder): ExperimentConfig {
  folder.assertExists();
  const { dir } = folder;
  if (!folder.holdsRun()) throw new UsageError(`run folder "${dir}": no config.json (is it a run folder written by anira?)`, { code: 'bad-path' });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(folder.config, 'utf8'));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new UsageError(`run folder "${dir}": config.json is not valid JSON (${e.message})`, { code: 'invalid-file' });
  }
  return parseExperiment(raw, folder.config);
}

/**
 * Rebuild model + policy for a run folder and load the weights `anira run` evaluates:
 * the best held-out evaluation (the checkpoint's `best/` snapshot, else `best.anira`),
 * or the latest update when the run has no evaluation yet. `weightsStep` is the
 * update whose weights the model now holds (written into each trace header).
 */
export async function loadTrainedRun(folder: RunFolder) {
  const cfg = readRunConfig(folder);
  if (!folder.hasCheckpoint()) throw new UsageError(`run folder "${folder.dir}": no checkpoint.anira (train it first)`);
  const run = await buildRun(cfg);
  restoreRun(folder, run.trainer);
  if (run.trainer.bestEval === undefined && existsSync(folder.best)) {
    try {
      run.trainer.restoreBest(readCheckpointFile(folder.best));
    } catch (e) {
      throw prefixed(folder.best, e);
    }
  }
  const weightsStep = run.trainer.useBest() ? run.trainer.bestStep : run.trainer.step;
  return { cfg, ...run, weightsStep };
}

/**
 * Every trace of a run folder, main first. A trace that does not parse, or has no
 * target token to analyse, is a one-line usage error naming the file.
 */
export function loadTraces(folder: RunFolder): Trace[] {
  folder.assertExists();
  const files = folder.traceFiles();
  if (files.length === 0) throw new UsageError(`run folder "${folder.dir}": no trace.jsonl (run \`anira eval ${folder.dir}\` first)`);
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

/**
 * Warnings for a folder's traces that no longer describe its weights (see
 * staleTraceNotes); a trace that cannot be read is left to the commands that read it.
 */
export function staleTraceWarnings(folder: RunFolder, weightsStep: number): string[] {
  const files = folder.traceFiles();
  const traces: Trace[] = [];
  const readable: string[] = [];
  for (const f of files) {
    try {
      traces.push(parseTraceJsonl(readFileSync(f, 'utf8')));
      readable.push(f);
    } catch {
      // a damaged trace is reported by analyze, report and merge, which read it whole
    }
  }
  return staleTraceNotes(traces, readable, weightsStep, folder.dir);
}

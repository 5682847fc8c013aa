/**
 * Hand-built run folders for CLI tests: a config, a trace whose tokens are given
 * (depth, difficulty, correct) per example, optionally a metrics log and a summary,
 * with no training involved.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_FORMAT_VERSION, traceToJsonl, type Trace } from '@anira/metrics';

export interface FixtureToken {
  readonly depth: number;
  readonly difficulty: number;
  readonly correct?: boolean;
  /** A static feature value (the example's size is used when absent). */
  readonly s?: number;
  /** A dynamic feature value (the difficulty when absent). */
  readonly d?: number;
}

/** A trace of task `toy` with tMax 8, one static (`size`) and one dynamic (`carry`) feature. */
export function fixtureTrace(examples: readonly { size: number; tokens: readonly FixtureToken[] }[], policy = 'fixed'): Trace {
  return {
    header: {
      kind: 'anira-trace',
      version: TRACE_FORMAT_VERSION,
      task: 'addition',
      policy,
      tMax: 8,
      trainTMax: 8,
      flopsPerIteration: 10,
      features: [
        { name: 'size', group: 'static', kind: 'numeric' },
        { name: 'carry', group: 'dynamic', kind: 'numeric' },
      ],
      trainSizes: [1, 2],
    },
    examples: examples.map((ex, e) => {
      const tokens = ex.tokens.map((t, i) => ({
        position: i,
        target: 1,
        prediction: t.correct === false ? 2 : 1,
        correct: t.correct ?? true,
        exitDepth: t.depth,
        expectedDepth: null,
        haltProbs: null,
        stepPredictions: Array<number>(t.depth).fill(1),
        difficulty: t.difficulty,
        features: { static: { size: t.s ?? ex.size }, dynamic: { carry: t.d ?? t.difficulty } },
        flops: t.depth * 10,
      }));
      return { meta: { task: 'addition', params: { digits: ex.size }, seed: e }, size: ex.size, exact: tokens.every((t) => t.correct), tokens };
    }),
  };
}

/** `n` examples whose depth follows difficulty with some noise (a defined alignment). */
export function alignedExamples(n: number, seed = 1): { size: number; tokens: FixtureToken[] }[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, e) => ({
    size: 1 + (e % 2),
    tokens: Array.from({ length: 4 }, (_, i) => {
      const difficulty = (i + e) % 3;
      return { difficulty, depth: 1 + difficulty + (rand() < 0.3 ? 1 : 0), d: difficulty + rand() };
    }),
  }));
}

/** Write a run folder: config.json, trace.jsonl and, when given, metrics.jsonl and summary.json. */
export function writeRunFolder(dir: string, trace: Trace, extra: { name?: string; metrics?: string; summary?: unknown } = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: extra.name ?? 'fixture', task: { name: 'addition', params: { digits: 2 } }, policy: { name: 'fixed' } }));
  writeFileSync(join(dir, 'trace.jsonl'), traceToJsonl(trace));
  if (extra.metrics !== undefined) writeFileSync(join(dir, 'metrics.jsonl'), extra.metrics);
  if (extra.summary !== undefined) writeFileSync(join(dir, 'summary.json'), JSON.stringify(extra.summary));
  return dir;
}

/** A well-formed summary.json for a fixture run. */
export function fixtureSummary(name: string, accuracy = 0.95): Record<string, unknown> {
  return {
    name,
    task: 'addition',
    policy: 'fixed',
    policySource: 'fixed',
    backend: 'cpu',
    steps: 10,
    stopped: 'steps',
    trainSeconds: 1,
    heldOut: { accuracy, meanDepth: 2 },
    analysis: { accuracy, exactMatch: 0.5, examples: 6 },
    eval: [{ tMax: 8, tokenAccuracy: accuracy, exactMatch: 0.5, meanDepth: 2, depthFraction: 0.25, flopsRatio: 0.25 }],
    spearman: 0.5,
    kendall: 0.4,
  };
}

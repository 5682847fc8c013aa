/**
 * Timing helpers: median of timed repetitions after warm-up (performance.now;
 * synchronous work, or awaited work for async-read backends), and alternating
 * repetitions of several workloads whose ratio is reported.
 */
import type { RepCounts } from './sizes.js';

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: "values" must hold at least 1 number, got 0');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Timing {
  /** Median milliseconds of one repetition. */
  readonly medianMs: number;
  /** Every timed repetition, in order (milliseconds). */
  readonly samplesMs: readonly number[];
}

/** Run `fn` `warmup` times untimed, then `reps` times timed. `fn` must finish its work synchronously. */
export function timeReps(fn: (rep: number) => void, counts: RepCounts): Timing {
  for (let i = 0; i < counts.warmup; i++) fn(-1 - i);
  const samplesMs: number[] = [];
  for (let i = 0; i < counts.reps; i++) {
    const t0 = performance.now();
    fn(i);
    samplesMs.push(performance.now() - t0);
  }
  return { medianMs: median(samplesMs), samplesMs };
}

/** `timeReps` for work that finishes when its promise resolves (WebGPU's `await data()` reads). */
export async function timeRepsAsync(fn: (rep: number) => Promise<void>, counts: RepCounts): Promise<Timing> {
  for (let i = 0; i < counts.warmup; i++) await fn(-1 - i);
  const samplesMs: number[] = [];
  for (let i = 0; i < counts.reps; i++) {
    const t0 = performance.now();
    await fn(i);
    samplesMs.push(performance.now() - t0);
  }
  return { medianMs: median(samplesMs), samplesMs };
}

/**
 * Time several workloads in alternation: `warmup` untimed rounds, then `reps` rounds,
 * each running every workload once in order. A ratio of two of them then compares
 * repetitions that ran under the same machine load (load that drifts over the
 * minutes of a run would otherwise bias it). Each `fn` may return a promise.
 */
export async function timeAlternating(fns: readonly ((rep: number) => void | Promise<void>)[], counts: RepCounts): Promise<Timing[]> {
  for (let i = 0; i < counts.warmup; i++) for (const fn of fns) await fn(-1 - i);
  const samples: number[][] = fns.map(() => []);
  for (let i = 0; i < counts.reps; i++) {
    for (const [k, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn(i);
      samples[k]!.push(performance.now() - t0);
    }
  }
  return samples.map((samplesMs) => ({ medianMs: median(samplesMs), samplesMs }));
}

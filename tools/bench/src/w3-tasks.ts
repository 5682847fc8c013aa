/**
 * W3 (task generators): examples per second of every registered task at its
 * default parameters. The warm-up finds how many examples fill `taskRepMs`; each
 * timed repetition generates that many fresh (differently seeded) examples.
 */
import { generateExample, listTasks } from '@anira/tasks';
import type { BenchSizes, RepCounts } from './sizes.js';
import { median } from './stats.js';

export interface TaskRate {
  readonly task: string;
  readonly examplesPerRep: number;
  readonly reps: number;
  readonly medianExamplesPerSecond: number;
  /** Mean input length at default params (context for the rate). */
  readonly meanLength: number;
}

/** Run W3 (pure JavaScript; the backend does not matter). */
export function runTasks(sizes: BenchSizes, counts: RepCounts): TaskRate[] {
  return listTasks().map((task) => {
    let seed = 0;
    let n = 0;
    let lengthSum = 0;
    const t0 = performance.now();
    do {
      lengthSum += generateExample(task, undefined, seed++).input.length;
      n++;
    } while (performance.now() - t0 < sizes.taskRepMs || n < 2);
    const perRep = n;
    const rates: number[] = [];
    for (let r = 0; r < counts.reps; r++) {
      const s = performance.now();
      for (let i = 0; i < perRep; i++) generateExample(task, undefined, seed++);
      rates.push(perRep / ((performance.now() - s) / 1000));
    }
    return { task: task.name, examplesPerRep: perRep, reps: counts.reps, medianExamplesPerSecond: median(rates), meanLength: lengthSum / n };
  });
}

import { describe, expect, it } from 'vitest';
import { median, timeAlternating } from './stats.js';

describe('timeAlternating', () => {
  it('runs the workloads in alternation, warm-up rounds first, and times each', async () => {
    const calls: string[] = [];
    const [a, b] = await timeAlternating(
      [(rep) => void calls.push(`a${rep}`), async (rep) => { calls.push(`b${rep}`); await new Promise((r) => setTimeout(r, 5)); }],
      { warmup: 1, reps: 3 },
    );
    expect(calls).toEqual(['a-1', 'b-1', 'a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(a!.samplesMs).toHaveLength(3);
    expect(b!.samplesMs).toHaveLength(3);
    expect(b!.medianMs).toBe(median(b!.samplesMs));
    expect(b!.medianMs).toBeGreaterThan(a!.medianMs); // the awaited 5 ms is inside b's timing
  });
});

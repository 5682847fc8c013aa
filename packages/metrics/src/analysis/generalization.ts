/**
 * Generalization: accuracy (token and exact match) and mean depth per input size, an
 * in- vs out-of-distribution summary, and the effect of raising T_max at inference
 * (one summary row per trace, so traces with different header.tMax sit side by side).
 * A size is in-distribution when it lies within [min, max] of header.trainSizes.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { accuracy } from '../stats/accuracy.js';
import type { ExampleTrace, Trace } from '../trace.js';
import { traceLabel } from './token-table.js';

export interface GeneralizationRow {
  readonly label: string;
  readonly policy: string;
  readonly tMax: number;
  readonly size: number;
  readonly inDistribution: boolean;
  readonly examples: number;
  readonly tokens: number;
  readonly tokenAccuracy: number;
  readonly exactMatch: number;
  readonly meanDepth: number;
}

export interface SplitSummary {
  readonly label: string;
  readonly policy: string;
  readonly tMax: number;
  readonly split: 'in' | 'out';
  readonly examples: number;
  readonly tokens: number;
  readonly tokenAccuracy: number;
  readonly exactMatch: number;
  readonly meanDepth: number;
}

export interface GeneralizationResult {
  readonly bySize: readonly GeneralizationRow[];
  /** Per trace, the in- and out-of-distribution rows (a split with no examples is omitted). */
  readonly splits: readonly SplitSummary[];
  /** Distinct tMax values seen, ascending; more than one means the T_max effect is measured. */
  readonly tMaxValues: readonly number[];
}

function meanDepth(examples: readonly ExampleTrace[]): number {
  let s = 0, n = 0;
  for (const ex of examples) for (const t of ex.tokens) { s += t.exitDepth; n++; }
  return n ? s / n : Number.NaN;
}

/** True when `size` lies in the closed training range. */
export function isInDistribution(size: number, trainSizes: readonly number[]): boolean {
  return trainSizes.length > 0 && size >= Math.min(...trainSizes) && size <= Math.max(...trainSizes);
}

/** Accuracy and mean depth per input size and per in/out-of-distribution split, across one or more traces. */
export function generalization(traces: readonly Trace[]): GeneralizationResult {
  if (traces.length === 0) throw new AniraInputError('generalization: traces must contain at least 1 trace, got 0', { code: 'insufficient-data' });
  const bySize: GeneralizationRow[] = [];
  const splits: SplitSummary[] = [];
  for (const trace of traces) {
    const { policy, tMax, trainSizes } = trace.header;
    const label = traceLabel(trace);
    const sizes = [...new Set(trace.examples.map((e) => e.size))].sort((a, b) => a - b);
    for (const size of sizes) {
      const exs = trace.examples.filter((e) => e.size === size);
      const acc = accuracy(exs);
      bySize.push({ label, policy, tMax, size, inDistribution: isInDistribution(size, trainSizes), examples: exs.length, tokens: acc.tokens, tokenAccuracy: acc.tokenAccuracy, exactMatch: acc.exactMatch, meanDepth: meanDepth(exs) });
    }
    for (const split of ['in', 'out'] as const) {
      const exs = trace.examples.filter((e) => isInDistribution(e.size, trainSizes) === (split === 'in'));
      if (exs.length === 0) continue;
      const acc = accuracy(exs);
      splits.push({ label, policy, tMax, split, examples: exs.length, tokens: acc.tokens, tokenAccuracy: acc.tokenAccuracy, exactMatch: acc.exactMatch, meanDepth: meanDepth(exs) });
    }
  }
  const tMaxValues = [...new Set(traces.map((t) => t.header.tMax))].sort((a, b) => a - b);
  return { bySize, splits, tMaxValues };
}

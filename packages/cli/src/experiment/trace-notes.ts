/**
 * What a trace is too small or too uniform to tell, in words. A trace with fewer than
 * 3 target tokens or 1 example cannot be analysed at all (a one-line usage error); a
 * rank correlation between exit depth and difficulty is undefined when either is
 * constant, which the CLI says ("undefined: all tokens have one difficulty") instead
 * of printing NaN as a number.
 */
import type { Trace } from '@anira/metrics';
import { UsageError } from '../errors.js';

const tokensOf = (trace: Trace) => trace.examples.flatMap((ex) => ex.tokens);

/** Why `trace` cannot be analysed at all, or undefined when it can. */
export function tooSmallToAnalyse(trace: Trace): string | undefined {
  const n = tokensOf(trace).length;
  if (n === 0) return `the trace has no target tokens (${trace.examples.length} examples): nothing to analyse`;
  if (n < 3) return `the trace has ${n} target token${n === 1 ? '' : 's'}; the analyses need at least 3`;
  if (trace.examples.length < 2) return 'the trace has 1 example; the confidence intervals resample examples and need at least 2';
  return undefined;
}

/** Throw a one-line usage error naming the file of the first trace that cannot be analysed. */
export function assertAnalysable(traces: readonly Trace[], files: readonly string[]): void {
  traces.forEach((t, i) => {
    const why = tooSmallToAnalyse(t);
    if (why !== undefined) throw new UsageError(`${files[i] ?? t.header.label ?? t.header.policy}: ${why}`);
  });
}

/** Why the depth-difficulty alignment of an analysable `trace` is undefined, or undefined when it is defined. */
export function alignmentUndefinedReason(trace: Trace): string | undefined {
  const tokens = tokensOf(trace);
  if (tokens.length === 0) return undefined;
  if (tokens.every((t) => t.difficulty === tokens[0]!.difficulty)) return `undefined: all tokens have one difficulty (${tokens[0]!.difficulty})`;
  if (tokens.every((t) => t.exitDepth === tokens[0]!.exitDepth)) return `undefined: all tokens have one exit depth (${tokens[0]!.exitDepth})`;
  return undefined;
}

/** One warning line per trace whose alignment is undefined, prefixed with its file. */
export function alignmentWarnings(traces: readonly Trace[], files: readonly string[]): string[] {
  return traces.flatMap((t, i) => {
    const reason = alignmentUndefinedReason(t);
    return reason ? [`${files[i] ?? t.header.label ?? t.header.policy}: alignment ${reason}`] : [];
  });
}

/**
 * One line per trace that traced other weights than the run now holds: its header's
 * `weightsStep` differs from summary.json's (the run was trained further, e.g. by
 * `anira train --resume --steps N`, and not traced again). Empty when they agree or
 * either is unknown (traces and summaries written before `weightsStep` existed).
 */
export function staleTraceNotes(traces: readonly Trace[], files: readonly string[], weightsStep: number | undefined, dir: string): string[] {
  if (weightsStep === undefined) return [];
  return traces.flatMap((t, i) => {
    const traced = t.header.weightsStep;
    if (traced === undefined || traced === weightsStep) return [];
    return [`${files[i] ?? t.header.label ?? t.header.policy} traced the weights of update ${traced}, but the run's weights are now update ${weightsStep}; run \`anira eval ${dir}\` to trace them`];
  });
}

/**
 * The trace seam: what the model's inference writes and every analysis reads (also
 * the entry `@anira/metrics/trace`, the format alone, which `@anira/model` imports).
 * Plain JSON; on disk one `TraceHeader` line then one `ExampleTrace` per line (JSONL).
 * Nothing here depends on tfjs.
 */

/**
 * Current trace format version (2: feature group 'position', missing feature values as
 * null on disk / NaN in memory). Readers accept versions 1 and 2 and reject others.
 */
export const TRACE_FORMAT_VERSION = 2;

/** Every trace format version the reader accepts. */
export const SUPPORTED_TRACE_VERSIONS: readonly number[] = [1, 2];

/** Feature groups: per-example ('static'), where the token sits ('position'), computed state ('dynamic'). */
export type FeatureGroup = 'static' | 'position' | 'dynamic';

/** Feature declaration copied from the task, so analyses know groups and kinds. */
export interface TraceFeatureSpec {
  readonly name: string;
  /** Version 1 traces have no 'position' group; analyses treat a feature named `position` as position whatever its group. */
  readonly group: FeatureGroup;
  readonly kind: 'numeric' | 'categorical';
  /** A label proxy (docs/metrics.md): kept out of the decision-timing groups by default. Absent = false. */
  readonly proxy?: boolean;
}

/** First line of a trace file: the run-level context. */
export interface TraceHeader {
  readonly kind: 'anira-trace';
  readonly version: number;
  readonly task: string;
  readonly policy: string;
  /** T_max used at inference for this trace. */
  readonly tMax: number;
  /** T_max used in training (inference may exceed it). */
  readonly trainTMax: number;
  /** Executed FLOPs per token for one full iteration of the shared block, for efficiency ratios. */
  readonly flopsPerIteration: number;
  readonly features: readonly TraceFeatureSpec[];
  /** Size knob values seen in training (for in- vs out-of-distribution splits). */
  readonly trainSizes: readonly number[];
  readonly label?: string;
  /** The training update whose weights were traced (the best held-out evaluation); absent in older traces. */
  readonly weightsStep?: number;
}

/** One target token of one example. */
export interface TokenTrace {
  readonly position: number;
  readonly target: number;
  /** Prediction read from the exit state. */
  readonly prediction: number;
  readonly correct: boolean;
  /** Iteration at which the token exited, in `[1, tMax]`. */
  readonly exitDepth: number;
  /** Expected depth under the policy's distribution, or null when the policy defines none. */
  readonly expectedDepth: number | null;
  /** Halting probability at each executed step (length = exitDepth), or null. */
  readonly haltProbs: readonly number[] | null;
  /** Argmax prediction after each executed step (length = exitDepth). */
  readonly stepPredictions: readonly number[];
  readonly difficulty: number;
  /** Feature values by group; a missing value (e.g. Dyck's distance with no bracket open) is NaN, null on disk. */
  readonly features: {
    readonly static: Readonly<Record<string, number>>;
    /** Absent in version 1 traces. */
    readonly position?: Readonly<Record<string, number>>;
    readonly dynamic: Readonly<Record<string, number>>;
  };
  /** Floating-point operations actually executed for this token (all layers, all steps). */
  readonly flops: number;
}

/** One example's trace. */
export interface ExampleTrace {
  readonly meta: { readonly task: string; readonly params: Readonly<Record<string, number>>; readonly seed: number };
  readonly size: number;
  /** True when every target token is correct (exact match). */
  readonly exact: boolean;
  readonly tokens: readonly TokenTrace[];
}

/** A whole trace in memory. */
export interface Trace {
  readonly header: TraceHeader;
  readonly examples: readonly ExampleTrace[];
}

/**
 * The example seam: what every task produces and what the model, metrics and CLI
 * consume. Arrays are position-aligned with `input` (length L).
 */

/** Target value meaning "no loss at this position" (prompt tokens, padding). */
export const IGNORE = -1;

/** Token id used for padding in every task vocabulary. */
export const PAD_ID = 0;

/**
 * Which group a feature belongs to for the decision-timing analysis: `static` (structure
 * of the input), `position` (a function of where the token sits in the output alone, so
 * it tracks the algorithm's progress) or `dynamic` (the reference algorithm's state).
 */
export type FeatureGroup = 'static' | 'position' | 'dynamic';

/** The three feature groups, in the order examples and docs list them. */
export const FEATURE_GROUPS: readonly FeatureGroup[] = ['static', 'position', 'dynamic'];

/** Declares one per-position feature column of a task. */
export interface FeatureSpec {
  readonly name: string;
  /**
   * `static`: computable from the input alone; `position`: a function of the token's index
   * (or its index among the answer tokens) alone; `dynamic`: the reference algorithm's state.
   */
  readonly group: FeatureGroup;
  /** Categorical features are one-hot encoded by the regression analyses. */
  readonly kind: 'numeric' | 'categorical';
  readonly description: string;
  /**
   * A label proxy (docs/metrics.md, `labelProxyStats`): some of its levels determine the
   * difficulty label (or a coarsening of it) on at least 20% of target tokens, or
   * R²(label ~ its levels) >= 0.7, on the data the paper specs analyse. Decision timing
   * keeps proxies out of the static and dynamic groups by default (position stays: it is
   * the control). Absent means false.
   */
  readonly proxy?: boolean;
}

/** Per-position feature columns by group; each array has length L and is NaN where undefined. */
export interface ExampleFeatures {
  readonly static: Readonly<Record<string, readonly number[]>>;
  readonly position: Readonly<Record<string, readonly number[]>>;
  readonly dynamic: Readonly<Record<string, readonly number[]>>;
}

/** Provenance of one example: enough to regenerate it bit for bit. */
export interface ExampleMeta {
  readonly task: string;
  readonly params: Readonly<Record<string, number>>;
  readonly seed: number;
}

/** One task example (see docs/tasks.md for the JSONL schema). */
export interface Example {
  /** Token ids the model reads, `[L]` (prompt and answer for a causal model). */
  readonly input: readonly number[];
  /**
   * Token id to predict at each position, `[L]`; `IGNORE` (-1) where there is no loss.
   * Convention: `target[i]` is the token to output at position i after reading `input[0..i]`
   * (for answer tokens, `target[i] = input[i + 1]`; see docs/tasks.md).
   */
  readonly target: readonly number[];
  /** Ground-truth complexity per position, `[L]`; an integer where `target` is set, -1 elsewhere. Never used for training. */
  readonly difficulty: readonly number[];
  readonly features: ExampleFeatures;
  /** Value of the task's size knob, for generalization curves. */
  readonly size: number;
  readonly meta: ExampleMeta;
}

/** Seeded random source handed to generators. Never `Math.random`. */
export interface Rng {
  /** Uniform integer in `[min, max]` inclusive. */
  int(min: number, max: number): number;
  /** Uniform float in `[0, 1)`. */
  float(): number;
}

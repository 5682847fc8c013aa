/**
 * The `Task` interface every generator implements, and the `ParamSpec` that declares
 * each of its knobs. Other packages program against these names only.
 */
import type { Example, FeatureSpec, Rng } from './example.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * One knob of a task, with its documented default and inclusive bounds. A choice knob
 * lists `choices`: its resolved value is the index into them (so resolved params stay
 * numeric everywhere), `min` = 0, `max` = choices.length - 1, `integer` = true.
 */
export interface ParamSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly description: string;
  /** Names of the values of a choice knob; `resolveParams` accepts a name or its index. */
  readonly choices?: readonly string[];
}

/** Resolved task params: every declared knob present and valid (choice knobs as indices). */
export type TaskParams = Readonly<Record<string, number>>;

/** Params as a caller writes them: numbers, or for a choice knob its name or index. */
export type ParamInput = Readonly<Record<string, number | string>>;

/** A complexity-controlled task: generator, vocabulary, features and renderer. */
export interface Task {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** The knob that sets input size (used by `withSize` and generalization splits). */
  readonly sizeParam: string;
  readonly vocab: Vocabulary;
  /** Feature columns every example of this task carries (always `position` and `size`). */
  readonly features: readonly FeatureSpec[];
  /** Inclusive bounds of every difficulty label under `params`. */
  difficultyRange(params: TaskParams): [number, number];
  /** Upper bound on `example.input.length` under `params`. */
  maxLength(params: TaskParams): number;
  /** Fills defaults and validates bounds and combinations; throws a one-line error naming the param. */
  resolveParams(partial?: ParamInput): Record<string, number>;
  /** Generates one example; `params` must be resolved. Sets `meta.seed` to -1. */
  generate(params: TaskParams, rng: Rng): Example;
  /** One line of space-separated tokens; a position with a target reads `token⟨target|difficulty⟩`. */
  render(example: Example): string;
}

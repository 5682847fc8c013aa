/**
 * The shared memory of one parallel run (SharedArrayBuffers, created by the main
 * thread, passed to every worker):
 * - `control` Int32[CONTROL_SIZE]: the barrier words (see `Ctl`);
 * - `grads` Float32[W, P]: one slot per worker for its shard's flat gradient;
 * - `present` Int32[W, V]: 1 where the worker's shard produced a gradient for variable v;
 * - `stats` Float64[W, STATS_SIZE]: loss tokens, token-mean scalars, loss terms;
 * - `weights` Float32[P]: the main thread's weights after the last update;
 * - `names` Uint8[NAMES_BYTES]: worker 0's loss-term names as JSON.
 */

/** Indices into `control`. */
export const Ctl = {
  /** Command generation; the main thread bumps it to start a command. */
  gen: 0,
  /** The command: CMD_STEP or CMD_QUIT. */
  cmd: 1,
  /** Workers that finished the current command. */
  done: 2,
  /** Workers that finished setup. */
  ready: 3,
  /** The update index s of the current step (examples s*B .. s*B+B-1). */
  step: 4,
  /** Padded length of the current global batch. */
  length: 5,
  /** Bytes of JSON in `names`. */
  namesLength: 6,
} as const;
export const CONTROL_SIZE = 8;
export const CMD_STEP = 1;
export const CMD_QUIT = 2;

/** Per-worker stats slot: [lossTokens, taskLoss, policyLoss, accuracy, meanDepth, nTerms, term_0..term_{MAX_TERMS-1}]. */
export const MAX_TERMS = 16;
export const STATS_SIZE = 6 + MAX_TERMS;
export const NAMES_BYTES = 2048;

export interface SharedBuffers {
  readonly control: SharedArrayBuffer;
  readonly grads: SharedArrayBuffer;
  readonly present: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  readonly names: SharedArrayBuffer;
}

/** Typed views over the shared buffers. */
export interface SharedViews {
  readonly control: Int32Array;
  readonly grads: Float32Array;
  readonly present: Int32Array;
  readonly stats: Float64Array;
  readonly weights: Float32Array;
  readonly names: Uint8Array;
}

/** Allocate the buffers for `workers` workers, P = `size` weights and V = `variables` variables. */
export function allocateShared(workers: number, size: number, variables: number): SharedBuffers {
  return {
    control: new SharedArrayBuffer(4 * CONTROL_SIZE),
    grads: new SharedArrayBuffer(4 * workers * size),
    present: new SharedArrayBuffer(4 * workers * variables),
    stats: new SharedArrayBuffer(8 * workers * STATS_SIZE),
    weights: new SharedArrayBuffer(4 * size),
    names: new SharedArrayBuffer(NAMES_BYTES),
  };
}

export function viewsOf(b: SharedBuffers): SharedViews {
  return {
    control: new Int32Array(b.control), grads: new Float32Array(b.grads), present: new Int32Array(b.present),
    stats: new Float64Array(b.stats), weights: new Float32Array(b.weights), names: new Uint8Array(b.names),
  };
}

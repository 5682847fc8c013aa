/**
 * Loading the compiled addon. `node-gyp-build` finds `build/Release` (a
 * from-source build) or the matching `prebuilds/<platform>-<arch>/` binary
 * shipped in the package. Loading never throws: a missing or broken binary
 * becomes a one-line reason, and the caller keeps plain wasm.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's flat functions (see csrc/sgemm.c for the argument layout). */
export interface NativeAddon {
  /**
   * `C_g [m, n] = op(A_g) [m, k] @ op(B_g) [k, n] (+ bias)` for g < batch, row-major,
   * on the bytes of `heap`. Offsets and strides in bytes; a stride of 0 repeats one
   * matrix; `biasOff < 0` means no bias, `biasLen` is n or 1.
   */
  sgemm(
    heap: ArrayBufferLike,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: number,
    transB: number,
    aOff: number,
    aStride: number,
    bOff: number,
    bStride: number,
    cOff: number,
    biasOff: number,
    biasLen: number,
  ): void;
  /** The OpenBLAS kernel family chosen for this CPU, e.g. "SkylakeX" or "Haswell". */
  corename(): string;
  /** True when products of several worker threads run at once (a thread-safe OpenBLAS build), false when the addon runs them one at a time. */
  concurrent(): boolean;
  /** LayerNorm of x `[m, c]` into y `[m, c]` and stats `[m, 2]` (mean, rstd); see csrc/rows.c. */
  layerNorm(heap: ArrayBufferLike, m: number, c: number, xOff: number, gammaOff: number, betaOff: number, yOff: number, statsOff: number, eps: number): void;
  /** LayerNorm's gradients dx `[m, c]`, dgamma `[c]`, dbeta `[c]` from dy, x, stats and gamma. */
  layerNormGrad(heap: ArrayBufferLike, m: number, c: number, dyOff: number, xOff: number, statsOff: number, gammaOff: number, dxOff: number, dgammaOff: number, dbetaOff: number): void;
  /** GELU (tanh form) of `n` floats. */
  gelu(heap: ArrayBufferLike, n: number, xOff: number, yOff: number): void;
  /** GELU's input gradient for `n` floats: dx = dy gelu'(x). */
  geluGrad(heap: ArrayBufferLike, n: number, dyOff: number, xOff: number, dxOff: number): void;
  /** Softmax over each of `rows` rows of `n` floats. */
  softmax(heap: ArrayBufferLike, rows: number, n: number, xOff: number, yOff: number): void;
  /** Softmax's input gradient per row: dx = y (dy - sum(dy y)). */
  softmaxGrad(heap: ArrayBufferLike, rows: number, n: number, dyOff: number, yOff: number, dxOff: number): void;
  /** One Adam update of `n` floats into new p, m, v (see csrc/adam.c; a1 = 1 - b1, a2 = 1 - b2). */
  adam(
    heap: ArrayBufferLike, n: number, pOff: number, gOff: number, mOff: number, vOff: number, pOutOff: number, mOutOff: number, vOutOff: number,
    b1: number, a1: number, b2: number, a2: number, c1: number, c2: number, eps: number, wd: number, lr: number,
  ): void;
  /**
   * Attention of the query rows q `[n, c]` (token rows `rows` `[n]` int32, ascending; rowsOff < 0: all
   * batch*t tokens) over k, v `[batch*t, c]` with bias `[batch, 1, biasRows, t]` into o `[n, c]` (csrc/attention.c).
   */
  attentionRows(
    heap: ArrayBufferLike, batch: number, t: number, c: number, heads: number, n: number,
    qOff: number, kOff: number, vOff: number, biasOff: number, biasRows: number, rowsOff: number, oOff: number,
  ): void;
  /**
   * Training attention of every token (csrc/attention-train.c): q, k, v, o `[batch*t, c]`, bias
   * `[batch, 1, biasRows, t]`, and the softmax weights p `[batch, heads, t, t]` kept for the gradient.
   */
  attention(
    heap: ArrayBufferLike, batch: number, t: number, c: number, heads: number,
    qOff: number, kOff: number, vOff: number, biasOff: number, biasRows: number, oOff: number, pOff: number,
  ): void;
  /** The gradients dq, dk, dv `[batch*t, c]` of `attention` from dy, q, k, v and its p (csrc/attention-train.c). */
  attentionGrad(
    heap: ArrayBufferLike, batch: number, t: number, c: number, heads: number,
    dyOff: number, qOff: number, kOff: number, vOff: number, pOff: number, dqOff: number, dkOff: number, dvOff: number,
  ): void;
  /**
   * For i < n: row `dstIndex[i]` (or i) of dst `[dstRows, c]` = row `srcIndex[i]` (or i) of src `[srcRows, c]`,
   * a zero row where `srcIndex[i] < 0` (csrc/move-rows.c); offsets in bytes, indices checked first.
   */
  moveRows(
    heap: ArrayBufferLike, dstOff: number, dstRows: number, srcOff: number, srcRows: number, c: number, n: number,
    dstIndex: Int32Array | null, srcIndex: Int32Array | null,
  ): void;
  /**
   * One inference layer over the running rows (csrc/layer.c): `args` holds the sizes, eps and
   * the byte offsets of x, the K/V caches (written in place), bias, rows, y and the weights.
   */
  layerRows(heap: ArrayBufferLike, args: Float64Array): void;
  /** Training's GELU MLP (csrc/mlp.c): `args` holds m, c, f and the byte offsets of x, w1, b1, w2, b2, h and y. */
  mlp(heap: ArrayBufferLike, args: Float64Array): void;
  /** Its gradients (csrc/mlp.c): `args` holds m, c, f and the byte offsets of dy, x, h, w1, w2, dx, dw1, db1, dw2, db2. */
  mlpGrad(heap: ArrayBufferLike, args: Float64Array): void;
  /** Training's projections, attention and output projection (csrc/attention-block.c): sizes and byte offsets in `args`. */
  attentionBlock(heap: ArrayBufferLike, args: Float64Array): void;
  /** Its gradients (csrc/attention-block.c): sizes and byte offsets in `args`. */
  attentionBlockGrad(heap: ArrayBufferLike, args: Float64Array): void;
  /** Per-token cross-entropy (csrc/cross-entropy.c): logits `[m, v]`, int32 targets `[m]` -> ce, lse `[m]` (0 for a target outside [0, v)). */
  crossEntropy(heap: ArrayBufferLike, m: number, v: number, logitsOff: number, targetsOff: number, ceOff: number, lseOff: number): void;
  /** Its logits' gradient dx `[m, v]` = dy (exp(x - lse) - onehot(target)), a zero row for an ignored target. */
  crossEntropyGrad(heap: ArrayBufferLike, m: number, v: number, dyOff: number, logitsOff: number, lseOff: number, targetsOff: number, dxOff: number): void;
}

const FUNCTIONS = ['sgemm', 'corename', 'concurrent', 'layerNorm', 'layerNormGrad', 'gelu', 'geluGrad', 'softmax', 'softmaxGrad', 'adam', 'attentionRows', 'attention', 'attentionGrad', 'moveRows', 'layerRows', 'mlp', 'mlpGrad', 'attentionBlock', 'attentionBlockGrad', 'crossEntropy', 'crossEntropyGrad'] as const;

export type AddonLoad = { readonly addon: NativeAddon } | { readonly error: string };

/** The package root (one folder above dist/ or src/). */
function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

/** Load the addon for this platform; `{ error }` with a one-line reason when it cannot. */
export function loadAddon(root: string = packageRoot()): AddonLoad {
  try {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => unknown;
    const addon = load(root) as Partial<NativeAddon>;
    const missing = FUNCTIONS.filter((f) => typeof addon[f] !== 'function');
    if (missing.length > 0) {
      return { error: `the addon lacks ${missing.join('/')} (a stale build/ folder? remove it to use the prebuilt binary)` };
    }
    return { addon: addon as NativeAddon };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { error: msg.split('\n')[0] ?? msg };
  }
}

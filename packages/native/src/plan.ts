/**
 * The shape arithmetic of one (batched) product as the addon runs it: tfjs's
 * BatchMatMul/_FusedMatMul semantics (`a [...batchA, M, K]`, `b [...batchB, K, N]`,
 * transpose flags on the last two axes, batch axes broadcast) reduced to one
 * loop of `batch` GEMMs with constant strides. Cases that are not a constant
 * stride (e.g. `a [2, 3, ...]` with `b [3, ...]`) or that are empty return null,
 * and the kernel hands them to the original wasm kernel.
 */
export interface ProductPlan {
  /** Output shape `[...batch, M, N]`. */
  readonly outShape: number[];
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Bytes between consecutive A (B) matrices; 0 when one matrix is broadcast. */
  readonly aStride: number;
  readonly bStride: number;
}

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** Broadcast two batch shapes (numpy rules); null when they are incompatible. */
function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The plan for `op(a) @ op(b)`, or null when the addon does not run this case. */
export function planProduct(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): ProductPlan | null {
  if (aShape.length < 2 || bShape.length < 2) return null;
  const [a0, a1] = aShape.slice(-2) as [number, number];
  const [b0, b1] = bShape.slice(-2) as [number, number];
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const n = transposeB ? b0 : b1;
  if ((transposeB ? b1 : b0) !== k) return null;
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const outBatch = broadcast(batchA, batchB);
  if (!outBatch) return null;
  const batch = size(outBatch);
  const na = size(batchA);
  const nb = size(batchB);
  if (m < 1 || n < 1 || k < 1 || batch < 1) return null;
  if ((na !== batch && na !== 1) || (nb !== batch && nb !== 1)) return null;
  return {
    outShape: [...outBatch, m, n],
    batch,
    m,
    n,
    k,
    aStride: na === 1 ? 0 : 4 * m * k,
    bStride: nb === 1 ? 0 : 4 * k * n,
  };
}

/*
 * One Adam (AdamW) update of one parameter tensor on the wasm heap, the same math
 * and the same float32 rounding order as @anira/tensor's composite (adam.ts):
 *
 * adam(heap, n, pOff, gOff, mOff, vOff, pOutOff, mOutOff, vOutOff, b1, a1, b2, a2, c1, c2, eps, wd, lr)
 *   m' = m b1 + g a1;  v' = v b2 + g^2 a2  (a1 = 1 - b1, a2 = 1 - b2, computed by the caller
 *   in double as the composite does, then rounded to float32);
 *   u = (m' / c1) / (sqrt(v' / c2) + eps) (+ p wd when wd > 0);  p' = p - u lr.
 *
 * c1 = 1 - b1^t and c2 = 1 - b2^t are the bias corrections of update t. Each
 * operation rounds to float32 as the composite's kernels do (no fused multiply-add,
 * hence fp-contract=off), so both paths give the same bits. Offsets in bytes;
 * every range is checked before any access. Outputs may not alias inputs.
 */
#include "heap.h"
#include <math.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

static void adam_loop(size_t n, const float *p, const float *g, const float *m, const float *v, float *po, float *mo, float *vo,
                      float b1, float a1, float b2, float a2, float c1, float c2, float eps, float wd, float lr) {
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * a1;
    const float vi = v[i] * b2 + (gi * gi) * a2;
    float u = (mi / c1) / (sqrtf(vi / c2) + eps);
    if (wd > 0) u = u + p[i] * wd;
    mo[i] = mi;
    vo[i] = vi;
    po[i] = p[i] - u * lr;
  }
}

napi_value anira_adam(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[18];
  if (!read_args(env, info, 18, "adam: expected (heap, n, pOff, gOff, mOff, vOff, pOutOff, mOutOff, vOutOff, b1, a1, b2, a2, c1, c2, eps, wd, lr)", &data, &len, v)) {
    return NULL;
  }
  const double n = v[1];
  if (n < 1) return fail(env, "adam: n must be >= 1");
  for (int i = 2; i <= 8; i++) {
    if (!floats_inside(v[i], n, len)) return fail(env, "adam: every operand must lie inside the heap, 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
#define F(i) ((float *)(heap + (size_t)v[i]))
  adam_loop((size_t)n, F(2), F(3), F(4), F(5), F(6), F(7), F(8), (float)v[9], (float)v[10], (float)v[11], (float)v[12], (float)v[13], (float)v[14], (float)v[15],
            (float)v[16], (float)v[17]);
#undef F
  return NULL;
}

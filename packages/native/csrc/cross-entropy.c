/*
 * Per-token cross-entropy against integer targets, forward and gradient, one pass
 * over the logits each (the composite of @anira/tensor's loss.ts, logSoftmax times
 * a one-hot, is about ten ops each way, Exp among them at 4% of a W1 step):
 *
 * crossEntropy(heap, m, v, logitsOff, targetsOff, ceOff, lseOff)
 *   logits [m, v]; targets [m] int32; ce, lse [m]:
 *   lse = max + log(sum exp(x - max)); ce = lse - x[target], 0 where the target
 *   lies outside [0, v) (an ignored token).
 * crossEntropyGrad(heap, m, v, dyOff, logitsOff, lseOff, targetsOff, dxOff)
 *   dx [m, v] = dy (exp(x - lse) - onehot(target)), a zero row for an ignored token.
 *
 * Offsets in bytes; every range is checked before any access. The sum of a row
 * adds 8 float lanes, then the lanes in double (lanes.h); e^x is exp-poly.h's.
 */
#include "heap.h"
#include "shared.h"
#include "lanes.h"
#include "exp-poly.h"
#include <math.h>
#include <string.h>

/* sum over j of e^(x[j] - mx), in the lanes of lanes.h. */
static inline __attribute__((always_inline)) double row_exp_sum(size_t n, const float *x, float mx) {
  float lane[LANES] = {0};
  size_t j = 0;
  for (; j + LANES <= n; j += LANES)
    for (size_t k = 0; k < LANES; k++) lane[k] += exp_poly(x[j + k] - mx);
  double s = 0;
  for (size_t k = 0; k < LANES; k++) s += lane[k];
  for (; j < n; j++) s += exp_poly(x[j] - mx);
  return s;
}

static inline int target_in(int32_t k, size_t v) { return k >= 0 && (size_t)k < v; }

CLONES static void ce_rows(size_t m, size_t v, const float *x, const int32_t *target, float *ce, float *lse) {
  for (size_t r = 0; r < m; r++) {
    const float *xr = x + r * v;
    const float mx = row_max(v, xr);
    const float l = mx + (float)log(row_exp_sum(v, xr, mx));
    lse[r] = l;
    ce[r] = target_in(target[r], v) ? l - xr[target[r]] : 0.0f;
  }
}

CLONES static void ce_grad_rows(size_t m, size_t v, const float *dy, const float *x, const float *lse, const int32_t *target, float *dx) {
  for (size_t r = 0; r < m; r++) {
    const float *xr = x + r * v;
    float *dxr = dx + r * v;
    if (!target_in(target[r], v)) {
      memset(dxr, 0, v * sizeof(float));
      continue;
    }
    const float g = dy[r], l = lse[r];
    for (size_t j = 0; j < v; j++) dxr[j] = g * exp_poly(xr[j] - l);
    dxr[target[r]] -= g;
  }
}

napi_value anira_cross_entropy(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double a[7];
  if (!read_args(env, info, 7, "crossEntropy: expected (heap, m, v, logitsOff, targetsOff, ceOff, lseOff)", &data, &len, a)) return NULL;
  const double m = a[1], v = a[2];
  if (m < 1 || v < 1 || m * v > 1e9 || !floats_inside(a[3], m * v, len) || !floats_inside(a[4], m, len) || !floats_inside(a[5], m, len) ||
      !floats_inside(a[6], m, len)) {
    return fail(env, "crossEntropy: m and v must be >= 1 and every operand inside the heap, 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  ce_rows((size_t)m, (size_t)v, (const float *)(heap + (size_t)a[3]), (const int32_t *)(heap + (size_t)a[4]), (float *)(heap + (size_t)a[5]),
          (float *)(heap + (size_t)a[6]));
  return NULL;
}

napi_value anira_cross_entropy_grad(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double a[8];
  if (!read_args(env, info, 8, "crossEntropyGrad: expected (heap, m, v, dyOff, logitsOff, lseOff, targetsOff, dxOff)", &data, &len, a)) return NULL;
  const double m = a[1], v = a[2];
  if (m < 1 || v < 1 || m * v > 1e9 || !floats_inside(a[3], m, len) || !floats_inside(a[4], m * v, len) || !floats_inside(a[5], m, len) ||
      !floats_inside(a[6], m, len) || !floats_inside(a[7], m * v, len)) {
    return fail(env, "crossEntropyGrad: m and v must be >= 1 and every operand inside the heap, 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  ce_grad_rows((size_t)m, (size_t)v, (const float *)(heap + (size_t)a[3]), (const float *)(heap + (size_t)a[4]), (const float *)(heap + (size_t)a[5]),
               (const int32_t *)(heap + (size_t)a[6]), (float *)(heap + (size_t)a[7]));
  return NULL;
}

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

/*
 * Read (heap, m, v, offsets...) into a[1..n-1] and check m, v >= 1 and each offset a[3 + i]:
 * `wide[i]` says it holds m * v floats (the logits' shape), else m. 0 and a thrown error on a mismatch.
 */
static int loss_args(napi_env env, napi_callback_info info, size_t n, const char *usage, const char *bad, const int *wide, uint8_t **heap, double *a) {
  void *data;
  size_t len;
  if (!read_args(env, info, n, usage, &data, &len, a)) return 0;
  const double m = a[1], v = a[2];
  int ok = m >= 1 && v >= 1 && m * v <= 1e9;
  for (size_t i = 3; ok && i < n; i++) ok = floats_inside(a[i], wide[i - 3] ? m * v : m, len);
  if (!ok) {
    fail(env, bad);
    return 0;
  }
  *heap = (uint8_t *)data;
  return 1;
}

#define AT(T, i) ((T *)(heap + (size_t)a[i]))

napi_value anira_cross_entropy(napi_env env, napi_callback_info info) {
  static const int wide[] = {1, 0, 0, 0}; /* logits, targets, ce, lse */
  uint8_t *heap;
  double a[7];
  if (!loss_args(env, info, 7, "crossEntropy: expected (heap, m, v, logitsOff, targetsOff, ceOff, lseOff)",
                 "crossEntropy: m and v must be >= 1 and every operand inside the heap, 4-byte aligned", wide, &heap, a)) return NULL;
  ce_rows((size_t)a[1], (size_t)a[2], AT(const float, 3), AT(const int32_t, 4), AT(float, 5), AT(float, 6));
  return NULL;
}

napi_value anira_cross_entropy_grad(napi_env env, napi_callback_info info) {
  static const int wide[] = {0, 1, 0, 0, 1}; /* dy, logits, lse, targets, dx */
  uint8_t *heap;
  double a[8];
  if (!loss_args(env, info, 8, "crossEntropyGrad: expected (heap, m, v, dyOff, logitsOff, lseOff, targetsOff, dxOff)",
                 "crossEntropyGrad: m and v must be >= 1 and every operand inside the heap, 4-byte aligned", wide, &heap, a)) return NULL;
  ce_grad_rows((size_t)a[1], (size_t)a[2], AT(const float, 3), AT(const float, 4), AT(const float, 5), AT(const int32_t, 6), AT(float, 7));
  return NULL;
}

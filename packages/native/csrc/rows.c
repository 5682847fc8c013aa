/*
 * Row-wise and element-wise kernels on the wasm heap, the same math as
 * @anira/tensor's composites (layers.ts), one pass each instead of a dozen ops:
 *
 * layerNorm(heap, m, c, xOff, gammaOff, betaOff, yOff, statsOff, eps)
 *   x, y [m, c]; gamma, beta [c]; stats [m, 2] = (mean, rstd) per row, two-pass
 *   variance, rstd = 1 / sqrt(var + eps); y = (x - mean) rstd gamma + beta.
 * layerNormGrad(heap, m, c, dyOff, xOff, statsOff, gammaOff, dxOff, dgammaOff, dbetaOff)
 *   g = dy gamma, xhat = (x - mean) rstd;
 *   dx = rstd (g - mean(g) - xhat mean(g xhat)); dgamma = sum_rows dy xhat; dbeta = sum_rows dy.
 * gelu(heap, n, xOff, yOff)          y = x s, s = sigmoid(x (A + B x^2)) (tanh form)
 * geluGrad(heap, n, dyOff, xOff, dxOff)   dx = dy (s + x s (1 - s) (A + 3 B x^2))
 * softmax(heap, rows, n, xOff, yOff)     y = exp(x - max) / sum over each row of n
 * softmaxGrad(heap, rows, n, dyOff, yOff, dxOff)   dx = y (dy - sum(dy y)) per row
 *
 * Offsets in bytes; every range is checked against the buffer before any access.
 * Sums over a row add 8 float lanes, then the lanes in double (row_sum); sums
 * over a column accumulate in double. exp is a polynomial (relative
 * error about 1e-7) that the compiler vectorizes; no libm call in the loops.
 */
#include "heap.h"
#include "shared.h"
#include "lanes.h"
#include "exp-poly.h"
#include <math.h>
#include <stdlib.h>

#define INLINE static inline __attribute__((always_inline))

static const float GELU_A = 1.5957691216057308f;       /* 2 sqrt(2 / pi) */
static const float GELU_B = 1.5957691216057308f * 0.044715f;

INLINE float gelu_s(float x) {
  return 1.0f / (1.0f + exp_poly(-x * (GELU_A + GELU_B * x * x)));
}

/* (sum g, sum g xhat) with g = dy gamma, xhat = (x - mean) rstd, the same lanes. */
INLINE void row_grad_sums(size_t C, const float *dy, const float *x, const float *gamma, float mean, float rstd, double *sg, double *sgx) {
  float lg[LANES] = {0}, lgx[LANES] = {0};
  size_t j = 0;
  for (; j + LANES <= C; j += LANES)
    for (size_t k = 0; k < LANES; k++) {
      const float g = dy[j + k] * gamma[j + k];
      lg[k] += g;
      lgx[k] += g * ((x[j + k] - mean) * rstd);
    }
  double a = 0, b = 0;
  for (size_t k = 0; k < LANES; k++) {
    a += lg[k];
    b += lgx[k];
  }
  for (; j < C; j++) {
    const float g = dy[j] * gamma[j];
    a += g;
    b += (double)g * ((x[j] - mean) * rstd);
  }
  *sg = a;
  *sgx = b;
}

CLONES static void ln_forward(size_t M, size_t C, const float *x, const float *gamma, const float *beta, float *y, float *stats, float eps) {
  for (size_t r = 0; r < M; r++) {
    const float *xr = x + r * C;
    const float mean = (float)(row_sum(C, xr) / (double)C);
    const float rstd = 1.0f / sqrtf((float)(row_sq(C, xr, mean) / (double)C) + eps);
    float *yr = y + r * C;
    for (size_t j = 0; j < C; j++) yr[j] = (xr[j] - mean) * rstd * gamma[j] + beta[j];
    stats[2 * r] = mean;
    stats[2 * r + 1] = rstd;
  }
}

void anira_layer_norm_rows(size_t m, size_t c, const float *x, const float *gamma, const float *beta, float *y, float *stats, float eps) {
  ln_forward(m, c, x, gamma, beta, y, stats, eps);
}

napi_value anira_layernorm(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[9];
  if (!read_args(env, info, 9, "layerNorm: expected (heap, m, c, xOff, gammaOff, betaOff, yOff, statsOff, eps)", &data, &len, v)) return NULL;
  const double m = v[1], c = v[2];
  if (m < 1 || c < 1 || m * c > 1e9) return fail(env, "layerNorm: m and c must be >= 1");
  if (!floats_inside(v[3], m * c, len) || !floats_inside(v[4], c, len) || !floats_inside(v[5], c, len) ||
      !floats_inside(v[6], m * c, len) || !floats_inside(v[7], 2 * m, len)) {
    return fail(env, "layerNorm: an operand lies outside the heap or is not 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  const float *x = (const float *)(heap + (size_t)v[3]);
  const float *gamma = (const float *)(heap + (size_t)v[4]);
  const float *beta = (const float *)(heap + (size_t)v[5]);
  float *y = (float *)(heap + (size_t)v[6]);
  float *stats = (float *)(heap + (size_t)v[7]);
  const float eps = (float)v[8];
  ln_forward((size_t)m, (size_t)c, x, gamma, beta, y, stats, eps);
  return NULL;
}

/*
 * dx of every row, and the column sums dgamma | dbeta accumulated into acc [2C]:
 * in float over blocks of ROW_BLOCK rows (blk [2C], a loop the compiler
 * vectorizes), each block then added into acc in double.
 */
#define ROW_BLOCK 32
CLONES static void ln_backward(size_t M, size_t C, const float *restrict dy, const float *restrict x, const float *restrict stats, const float *restrict gamma, float *restrict dx, double *restrict acc, float *restrict blk) {
  for (size_t r = 0; r < M; r++) {
    const float *xr = x + r * C, *dyr = dy + r * C;
    const float mean = stats[2 * r], rstd = stats[2 * r + 1];
    double sg, sgx;
    row_grad_sums(C, dyr, xr, gamma, mean, rstd, &sg, &sgx);
    const float meanG = (float)(sg / (double)C), meanGX = (float)(sgx / (double)C);
    float *dxr = dx + r * C;
    for (size_t j = 0; j < C; j++) {
      const float xhat = (xr[j] - mean) * rstd;
      blk[j] += dyr[j] * xhat;
      blk[C + j] += dyr[j];
      dxr[j] = rstd * (dyr[j] * gamma[j] - meanG - xhat * meanGX);
    }
    if ((r + 1) % ROW_BLOCK == 0 || r + 1 == M) {
      for (size_t j = 0; j < 2 * C; j++) {
        acc[j] += blk[j];
        blk[j] = 0.0f;
      }
    }
  }
}

napi_value anira_layernorm_grad(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[10];
  if (!read_args(env, info, 10, "layerNormGrad: expected (heap, m, c, dyOff, xOff, statsOff, gammaOff, dxOff, dgammaOff, dbetaOff)", &data, &len, v)) return NULL;
  const double m = v[1], c = v[2];
  if (m < 1 || c < 1 || m * c > 1e9) return fail(env, "layerNormGrad: m and c must be >= 1");
  if (!floats_inside(v[3], m * c, len) || !floats_inside(v[4], m * c, len) || !floats_inside(v[5], 2 * m, len) ||
      !floats_inside(v[6], c, len) || !floats_inside(v[7], m * c, len) || !floats_inside(v[8], c, len) ||
      !floats_inside(v[9], c, len)) {
    return fail(env, "layerNormGrad: an operand lies outside the heap or is not 4-byte aligned");
  }
  double *acc = (double *)calloc(2 * (size_t)c, sizeof(double)); /* dgamma | dbeta */
  float *blk = (float *)calloc(2 * (size_t)c, sizeof(float));        /* the same, over one block of rows */
  if (acc == NULL || blk == NULL) {
    free(acc);
    free(blk);
    return fail(env, "layerNormGrad: out of memory");
  }
  uint8_t *heap = (uint8_t *)data;
  ln_backward((size_t)m, (size_t)c, (const float *)(heap + (size_t)v[3]), (const float *)(heap + (size_t)v[4]),
              (const float *)(heap + (size_t)v[5]), (const float *)(heap + (size_t)v[6]), (float *)(heap + (size_t)v[7]), acc, blk);
  float *dgamma = (float *)(heap + (size_t)v[8]);
  float *dbeta = (float *)(heap + (size_t)v[9]);
  for (size_t j = 0; j < (size_t)c; j++) {
    dgamma[j] = (float)acc[j];
    dbeta[j] = (float)acc[(size_t)c + j];
  }
  free(acc);
  free(blk);
  return NULL;
}

CLONES static void gelu_loop(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] * gelu_s(x[i]);
}

void anira_gelu_rows(size_t n, const float *x, float *y) { gelu_loop(n, x, y); }

void anira_add(size_t n, const float *a, const float *b, float *out) {
  for (size_t i = 0; i < n; i++) out[i] = a[i] + b[i];
}

CLONES static void gelu_grad_loop(size_t n, const float *dy, const float *x, float *dx) {
  for (size_t i = 0; i < n; i++) {
    const float xi = x[i], s = gelu_s(xi), x2 = xi * xi;
    dx[i] = dy[i] * (s + xi * s * (1.0f - s) * (GELU_A + 3.0f * GELU_B * x2));
  }
}

void anira_gelu_grad_rows(size_t n, const float *dy, const float *x, float *dx) { gelu_grad_loop(n, dy, x, dx); }

napi_value anira_gelu(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[4];
  if (!read_args(env, info, 4, "gelu: expected (heap, n, xOff, yOff)", &data, &len, v)) return NULL;
  if (v[1] < 1 || !floats_inside(v[2], v[1], len) || !floats_inside(v[3], v[1], len)) {
    return fail(env, "gelu: n must be >= 1 and both operands inside the heap, 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  const float *x = (const float *)(heap + (size_t)v[2]);
  float *y = (float *)(heap + (size_t)v[3]);
  gelu_loop((size_t)v[1], x, y);
  return NULL;
}

napi_value anira_gelu_grad(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[5];
  if (!read_args(env, info, 5, "geluGrad: expected (heap, n, dyOff, xOff, dxOff)", &data, &len, v)) return NULL;
  if (v[1] < 1 || !floats_inside(v[2], v[1], len) || !floats_inside(v[3], v[1], len) || !floats_inside(v[4], v[1], len)) {
    return fail(env, "geluGrad: n must be >= 1 and every operand inside the heap, 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  const float *dy = (const float *)(heap + (size_t)v[2]);
  const float *x = (const float *)(heap + (size_t)v[3]);
  float *dx = (float *)(heap + (size_t)v[4]);
  gelu_grad_loop((size_t)v[1], dy, x, dx);
  return NULL;
}

CLONES static void softmax_rows(size_t rows, size_t n, const float *x, float *y) {
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * n;
    float *yr = y + r * n;
    const float mx = row_max(n, xr);
    for (size_t j = 0; j < n; j++) yr[j] = exp_poly(xr[j] - mx);
    const float inv = (float)(1.0 / row_sum(n, yr));
    for (size_t j = 0; j < n; j++) yr[j] *= inv;
  }
}

void anira_softmax_rows(size_t rows, size_t n, const float *x, float *y) { softmax_rows(rows, n, x, y); }

CLONES static void softmax_grad_rows(size_t rows, size_t n, const float *dy, const float *y, float *dx) {
  for (size_t r = 0; r < rows; r++) {
    const float *dyr = dy + r * n, *yr = y + r * n;
    float *dxr = dx + r * n;
    const float sf = (float)row_dot(n, dyr, yr);
    for (size_t j = 0; j < n; j++) dxr[j] = yr[j] * (dyr[j] - sf);
  }
}

void anira_softmax_grad_rows(size_t rows, size_t n, const float *dy, const float *y, float *dx) { softmax_grad_rows(rows, n, dy, y, dx); }

napi_value anira_softmax(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[5];
  if (!read_args(env, info, 5, "softmax: expected (heap, rows, n, xOff, yOff)", &data, &len, v)) return NULL;
  if (v[1] < 1 || v[2] < 1 || !floats_inside(v[3], v[1] * v[2], len) || !floats_inside(v[4], v[1] * v[2], len)) {
    return fail(env, "softmax: rows and n must be >= 1 and both operands inside the heap, 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  softmax_rows((size_t)v[1], (size_t)v[2], (const float *)(heap + (size_t)v[3]), (float *)(heap + (size_t)v[4]));
  return NULL;
}

napi_value anira_softmax_grad(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[6];
  if (!read_args(env, info, 6, "softmaxGrad: expected (heap, rows, n, dyOff, yOff, dxOff)", &data, &len, v)) return NULL;
  const double count = v[1] * v[2];
  if (v[1] < 1 || v[2] < 1 || !floats_inside(v[3], count, len) || !floats_inside(v[4], count, len) || !floats_inside(v[5], count, len)) {
    return fail(env, "softmaxGrad: rows and n must be >= 1 and every operand inside the heap, 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  softmax_grad_rows((size_t)v[1], (size_t)v[2], (const float *)(heap + (size_t)v[3]), (const float *)(heap + (size_t)v[4]),
                    (float *)(heap + (size_t)v[5]));
  return NULL;
}

/*
 * The two-layer GELU MLP of training as one kernel each way on the wasm heap:
 * @anira/tensor's `mlp` (linear, GELU, linear) and the gradients tfjs records for
 * it, with the same cblas_sgemm calls (the native BatchMatMul's and _FusedMatMul's
 * arguments, transpose flags included; bias sums as the product of a row of ones,
 * as tensor's sumRows) and rows.c's GELU loops, so every output has the bits of
 * that sequence of kernels. What it saves is memory: the GELU output and, in the
 * gradient, the hidden-width gradients [m, f] never become tensors of the heap
 * (they live in scratch rows here), and tfjs keeps every tensor of a gradient
 * step until the step ends. At the W1 sizes (2,048 rows, f 512, 8 iterations)
 * that is three [2048, 512] float tensors, 12 MiB, per iteration.
 *
 * mlp(heap, args): args a Float64Array of 10 numbers:
 *   0 m, 1 c, 2 f, then byte offsets: 3 x [m, c], 4 w1 [c, f], 5 b1 [f],
 *   6 w2 [f, c], 7 b2 [c], 8 h [m, f] (written), 9 y [m, c] (written).
 *     h = x w1 + b1;  y = gelu(h) w2 + b2
 * mlpGrad(heap, args): args a Float64Array of 13 numbers:
 *   0 m, 1 c, 2 f, then byte offsets: 3 dy [m, c], 4 x [m, c], 5 h [m, f] (from
 *   mlp), 6 w1, 7 w2, then written: 8 dx [m, c], 9 dw1 [c, f], 10 db1 [f],
 *   11 dw2 [f, c], 12 db2 [c].
 *     g = gelu(h); dg = dy w2^T; dw2 = g^T dy; db2 = 1^T dy
 *     dh = dg gelu'(h); dx = dh w1^T; dw1 = x^T dh; db1 = 1^T dh
 *
 * Every range is checked before any access; the whole call runs under sgemm.c's
 * lock. The scratch rows are the calling thread's, kept between calls (grown to the
 * largest call: g, dg [m, f] and a row of m ones; 8 MiB at the W1 sizes).
 */
#include "heap.h"
#include "shared.h"
#include <cblas.h>
#include <stdlib.h>

#define MLP_ARGS 10
#define MLP_GRAD_ARGS 13


static int sizes_ok(const double *a) {
  return a[0] >= 1 && a[1] >= 1 && a[2] >= 1 && a[0] <= INT32_MAX && a[1] <= INT32_MAX && a[2] <= INT32_MAX;
}

napi_value anira_mlp(napi_env env, napi_callback_info info) {
  uint8_t *heap;
  size_t len;
  const double *a;
  if (!read_heap_args(env, info, MLP_ARGS, "mlp: expected (heap, args: Float64Array of 10 numbers)", &heap, &len, &a)) return NULL;
  if (!sizes_ok(a)) return fail(env, "mlp: m, c, f must be >= 1 and fit in int32");
  const double m = a[0], c = a[1], f = a[2];
  if (!(floats_inside(a[3], m * c, len) && floats_inside(a[4], c * f, len) && floats_inside(a[5], f, len) && floats_inside(a[6], f * c, len) &&
        floats_inside(a[7], c, len) && floats_inside(a[8], m * f, len) && floats_inside(a[9], m * c, len))) {
    return fail(env, "mlp: an operand lies outside the heap or is not 4-byte aligned");
  }
  const size_t M = (size_t)m, C = (size_t)c, F = (size_t)f;
#define AT(i) ((float *)(heap + (size_t)a[i]))
  const float *x = AT(3), *w1 = AT(4), *b1 = AT(5), *w2 = AT(6), *b2 = AT(7);
  float *h = AT(8), *y = AT(9);
#undef AT
  anira_blas_lock();
  float *g = anira_kept_scratch(ANIRA_SCRATCH_MLP, M * F);
  if (!g) {
    anira_blas_unlock();
    return fail(env, "mlp: out of memory for the scratch rows");
  }
  anira_product(0, 0, M, F, C, x, w1, b1, F, h);
  anira_gelu_rows(M * F, h, g);
  anira_product(0, 0, M, C, F, g, w2, b2, C, y);
  anira_blas_unlock();
  return NULL;
}

napi_value anira_mlp_grad(napi_env env, napi_callback_info info) {
  uint8_t *heap;
  size_t len;
  const double *a;
  if (!read_heap_args(env, info, MLP_GRAD_ARGS, "mlpGrad: expected (heap, args: Float64Array of 13 numbers)", &heap, &len, &a)) return NULL;
  if (!sizes_ok(a)) return fail(env, "mlpGrad: m, c, f must be >= 1 and fit in int32");
  const double m = a[0], c = a[1], f = a[2];
  if (!(floats_inside(a[3], m * c, len) && floats_inside(a[4], m * c, len) && floats_inside(a[5], m * f, len) && floats_inside(a[6], c * f, len) &&
        floats_inside(a[7], f * c, len) && floats_inside(a[8], m * c, len) && floats_inside(a[9], c * f, len) && floats_inside(a[10], f, len) &&
        floats_inside(a[11], f * c, len) && floats_inside(a[12], c, len))) {
    return fail(env, "mlpGrad: an operand lies outside the heap or is not 4-byte aligned");
  }
  const size_t M = (size_t)m, C = (size_t)c, F = (size_t)f;
#define AT(i) ((float *)(heap + (size_t)a[i]))
  const float *dy = AT(3), *x = AT(4), *h = AT(5), *w1 = AT(6), *w2 = AT(7);
  float *dx = AT(8), *dw1 = AT(9), *db1 = AT(10), *dw2 = AT(11), *db2 = AT(12);
#undef AT
  anira_blas_lock();
  float *g = anira_kept_scratch(ANIRA_SCRATCH_MLP, 2 * M * F + M);
  if (!g) {
    anira_blas_unlock();
    return fail(env, "mlpGrad: out of memory for the scratch rows");
  }
  float *dg = g + M * F, *ones = dg + M * F;
  for (size_t i = 0; i < M; i++) ones[i] = 1.0f;
  anira_gelu_rows(M * F, h, g);
  anira_product(0, 1, M, F, C, dy, w2, NULL, 0, dg);  /* dg = dy w2^T */
  anira_product(1, 0, F, C, M, g, dy, NULL, 0, dw2);  /* dw2 = g^T dy */
  anira_product(0, 0, 1, C, M, ones, dy, NULL, 0, db2); /* db2 = 1^T dy */
  anira_gelu_grad_rows(M * F, dg, h, dg);    /* dh, in place */
  anira_product(0, 1, M, C, F, dg, w1, NULL, 0, dx);  /* dx = dh w1^T */
  anira_product(1, 0, C, F, M, x, dg, NULL, 0, dw1);  /* dw1 = x^T dh */
  anira_product(0, 0, 1, F, M, ones, dg, NULL, 0, db1); /* db1 = 1^T dh */
  anira_blas_unlock();
  return NULL;
}

/*
 * One pre-LN Transformer layer over the rows that run, for inference, in one call:
 * the operations of @anira/model's projectQkv, K/V cache update, attention and
 * finishRows (layer.ts, row-plan.ts), each done as the separate native kernels do
 * it (the same sgemm calls, rows.c's LayerNorm and GELU, attention.c's attention
 * of query rows), so the result has the same bits as that sequence of kernels.
 * What it saves is the sequence itself: about 14 tfjs kernel calls per layer, with
 * their output allocations in the wasm heap, and the reads of intermediate
 * tensors from one call to the next.
 *
 * layerRows(heap, args): args a Float64Array of LAYER_ARGS numbers:
 *   0 batch, 1 t, 2 c, 3 heads, 4 f (MLP width), 5 n (rows that run), 6 biasRows,
 *   7 eps, then byte offsets: 8 x [n, c], 9 kCache [batch * t, c], 10 vCache,
 *   11 bias [batch, 1, biasRows, t], 12 rows [n] int32 (< 0: every token, n =
 *   batch * t), 13 y [n, c], 14 ln1g [c], 15 ln1b, 16 wq [c, c], 17 wk, 18 wv,
 *   19 wo, 20 ln2g, 21 ln2b, 22 w1 [c, f], 23 b1 [f], 24 w2 [f, c], 25 b2 [c].
 *
 *   a = LayerNorm1(x); q = a wq; k = a wk; v = a wv
 *   kCache[rows] = k; vCache[rows] = v            (in place: every row without rows)
 *   o = attention of q (token rows `rows`) over kCache, vCache with bias (attention.c)
 *   y1 = x + o wo; a2 = LayerNorm2(y1)
 *   y = y1 + (gelu(a2 w1 + b1) w2 + b2)
 *
 * The caches are written in place: the caller must own them alone (tensor's
 * layer-rows.ts checks the backend's reference count). The scratch rows are kept
 * between calls (the calling thread's ANIRA_SCRATCH_LAYER block). Products with a bias start from the bias rows
 * (sgemm.c's anira_bias_rows) and add the product (beta 1), as sgemm.c's; the others
 * write it (beta 0). Every range and the rows are checked before any access; the
 * whole layer runs under sgemm.c's lock.
 */
#include "heap.h"
#include "shared.h"
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAYER_ARGS 26

/* Row i of src [n, c] to row rows[i] of dst. */
static void scatter(size_t n, size_t c, const int32_t *rows, const float *src, float *dst) {
  for (size_t i = 0; i < n; i++) memcpy(dst + (size_t)rows[i] * c, src + i * c, c * sizeof(float));
}

/*
 * The layer's scratch floats, kept between calls and grown to the largest call
 * (15 MB at 4,096 rows, C 128, F 512), one block per thread. Allocated and
 * freed at every call, the first 4,096-row layer of an adaptive inference call, after
 * the previous call's small ones, took 18-19 ms against 15 for the fixed-depth call's
 * layers, and 13.1 ms with the block kept. The minor page faults per call did not
 * change, so it is not fresh pages; why a block that moves costs more was not found.
 */

napi_value anira_layer_rows(napi_env env, napi_callback_info info) {
  uint8_t *heap;
  size_t len;
  const double *a;
  if (!read_heap_args(env, info, LAYER_ARGS, "layerRows: expected (heap, args: Float64Array of 26 numbers)", &heap, &len, &a)) return NULL;
  const double batch = a[0], t = a[1], c = a[2], heads = a[3], f = a[4], n = a[5], biasRows = a[6];
  const float eps = (float)a[7];
  if (batch < 1 || t < 1 || c < 1 || heads < 1 || f < 1 || n < 1 || batch * t > INT32_MAX || c > INT32_MAX || f > INT32_MAX || fmod(c, heads) != 0) {
    return fail(env, "layerRows: batch, t, c, heads, f, n must be >= 1, batch * t, c and f fit in int32, and heads must divide c");
  }
  if (biasRows != t && biasRows != 1) return fail(env, "layerRows: biasRows must be t or 1");
  const double rowsOff = a[12], bt = batch * t;
  if (rowsOff < 0 ? n != bt : n > bt) return fail(env, "layerRows: n must be batch * t without rows, at most batch * t with them");
  const int ok = floats_inside(a[8], n * c, len) && floats_inside(a[9], bt * c, len) && floats_inside(a[10], bt * c, len) &&
                 floats_inside(a[11], batch * biasRows * t, len) && (rowsOff < 0 || floats_inside(rowsOff, n, len)) && floats_inside(a[13], n * c, len) &&
                 floats_inside(a[14], c, len) && floats_inside(a[15], c, len) && floats_inside(a[16], c * c, len) && floats_inside(a[17], c * c, len) &&
                 floats_inside(a[18], c * c, len) && floats_inside(a[19], c * c, len) && floats_inside(a[20], c, len) && floats_inside(a[21], c, len) &&
                 floats_inside(a[22], c * f, len) && floats_inside(a[23], f, len) && floats_inside(a[24], f * c, len) && floats_inside(a[25], c, len);
  if (!ok) return fail(env, "layerRows: an operand lies outside the heap or is not 4-byte aligned");
  const size_t B = (size_t)batch, T = (size_t)t, C = (size_t)c, H = (size_t)heads, F = (size_t)f, N = (size_t)n, R = (size_t)biasRows;
  const int32_t *rows = rowsOff >= 0 ? (const int32_t *)(heap + (size_t)rowsOff) : NULL;
  if (rows && !anira_rows_valid(rows, N, B * T)) return fail(env, "layerRows: rows must be strictly ascending token rows in [0, batch * t)");
#define AT(i) ((float *)(heap + (size_t)a[i]))
  const float *x = AT(8), *bias = AT(11);
  float *kc = AT(9), *vc = AT(10), *y = AT(13);
  const float *ln1g = AT(14), *ln1b = AT(15), *wq = AT(16), *wk = AT(17), *wv = AT(18), *wo = AT(19);
  const float *ln2g = AT(20), *ln2b = AT(21), *w1 = AT(22), *b1 = AT(23), *w2 = AT(24), *b2 = AT(25);
#undef AT
  /* scratch: act [N, C], q [N, C], k and v rows [N, C] each (rows given), o [N, C], hidden [N, F], stats [N, 2] */
  const size_t nc = N * C;
  anira_blas_lock();
  float *scratch = anira_kept_scratch(ANIRA_SCRATCH_LAYER, nc * (rows ? 5 : 3) + N * F + 2 * N);
  if (!scratch) {
    anira_blas_unlock();
    return fail(env, "layerRows: out of memory for the scratch rows");
  }
  float *act = scratch, *q = act + nc, *o = q + nc, *hidden = o + nc, *stats = hidden + N * F;
  float *kr = rows ? stats + 2 * N : kc, *vr = rows ? kr + nc : vc;
  anira_layer_norm_rows(N, C, x, ln1g, ln1b, act, stats, eps);
  anira_product(0, 0, N, C, C, act, wq, NULL, 0, q);
  anira_product(0, 0, N, C, C, act, wk, NULL, 0, kr);
  anira_product(0, 0, N, C, C, act, wv, NULL, 0, vr);
  if (rows) {
    scatter(N, C, rows, kr, kc);
    scatter(N, C, rows, vr, vc);
  }
  int status = anira_attend_rows(B, T, C, H, N, q, kc, vc, bias, R, rows, o);
  if (status == 0) {
    anira_product(0, 0, N, C, C, o, wo, NULL, 0, act);
    anira_add(nc, x, act, y); /* y1 = x + o wo */
    anira_layer_norm_rows(N, C, y, ln2g, ln2b, act, stats, eps);
    anira_product(0, 0, N, F, C, act, w1, b1, F, hidden);
    anira_gelu_rows(N * F, hidden, hidden);
    anira_product(0, 0, N, C, F, hidden, w2, b2, C, o);
    anira_add(nc, y, o, y); /* y = y1 + mlp */
  }
  anira_blas_unlock();
  if (status != 0) return fail(env, "layerRows: out of memory for the attention's scratch rows");
  return NULL;
}

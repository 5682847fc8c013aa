/*
 * Training attention as one kernel each way on the wasm heap: the forward of
 * @anira/tensor's scaledDotAttention between splitHeads and mergeHeads for every
 * token as a query, keeping the softmax weights for the gradient, and its
 * gradient, without the head split and merge transposes and the dozen small ops
 * (scale, product, bias add, softmax, product, and their gradients) that the
 * composite records per layer. Each head is a block of dh columns of the rows,
 * read and written in place with a leading dimension of c.
 *
 * attention(heap, batch, t, c, heads, qOff, kOff, vOff, biasOff, biasRows, oOff, pOff)
 *   q, k, v, o [batch * t, c]; bias [batch, 1, biasRows, t] (biasRows t or 1,
 *   broadcast); p [batch, heads, t, t]. For batch row b and head h (dh = c / heads):
 *     qs = q_bh * f32(1 / sqrt(dh))               (rounded to float32, as the composite)
 *     p_bh = softmax_rows(qs k_bh^T + bias_b)     [t, t]  (rows.c's softmax)
 *     o_bh = p_bh v_bh                            [t, dh]
 *   One head is attention.c's anira_attend_head, the every-token path of the
 *   inference kernel too, so o has the composite's bits.
 *
 * attentionGrad(heap, batch, t, c, heads, dyOff, qOff, kOff, vOff, pOff, dqOff, dkOff, dvOff)
 *   dy, dq, dk, dv [batch * t, c]; p from attention. Per batch row and head:
 *     dv_bh = p_bh^T dy_bh                        [t, dh]
 *     ds = p_bh (dy_bh v_bh^T - rowsum(...))      [t, t]  (rows.c's softmax gradient)
 *     dq_bh = (ds k_bh) * f32(1 / sqrt(dh))       [t, dh]
 *     dk_bh = ds^T qs                             [t, dh]
 *   the gradients tfjs records for the composite, in the same order; the bias is
 *   not differentiated (it is built outside gradient functions).
 *
 * Offsets in bytes, every range checked before any access; the products are
 * cblas_sgemm calls with other leading dimensions, under sgemm.c's lock.
 */
#include "heap.h"
#include "shared.h"
#include <cblas.h>
#include <math.h>
#include <stdlib.h>

int anira_attention_shape(napi_env env, const double *v, const char *fn, size_t *B, size_t *T, size_t *C, size_t *H) {
  const double batch = v[0], t = v[1], c = v[2], heads = v[3];
  if (batch < 1 || t < 1 || c < 1 || heads < 1 || batch * t > INT32_MAX || c > INT32_MAX || t * t > INT32_MAX || fmod(c, heads) != 0) {
    napi_throw_range_error(env, NULL, fn);
    return 0;
  }
  *B = (size_t)batch, *T = (size_t)t, *C = (size_t)c, *H = (size_t)heads;
  return 1;
}

/* qs [T, C] = q [T, C] * scale, rounded to float32 per element. */
static void scale_rows(size_t n, const float *q, float scale, float *qs) {
  for (size_t i = 0; i < n; i++) qs[i] = q[i] * scale;
}

int anira_attention_tokens(size_t B, size_t T, size_t C, size_t H, const float *q, const float *k, const float *val, const float *bias, size_t biasRows,
                           float *o, float *p) {
  const size_t dh = C / H;
  float *qs = malloc(sizeof(float) * T * C);
  if (!qs) return -1;
  const float scale = (float)(1.0 / sqrt((double)dh));
  for (size_t b = 0; b < B; b++) {
    const float *kb = k + b * T * C, *vb = val + b * T * C, *bb = bias + b * biasRows * T;
    scale_rows(T * C, q + b * T * C, scale, qs);
    for (size_t h = 0; h < H; h++) anira_attend_head(T, C, dh, qs + h * dh, kb + h * dh, vb + h * dh, bb, biasRows, p + (b * H + h) * T * T, o + b * T * C + h * dh);
  }
  free(qs);
  return 0;
}

int anira_attention_tokens_grad(size_t B, size_t T, size_t C, size_t H, const float *dy, const float *q, const float *k, const float *val, const float *p,
                                float *dq, float *dk, float *dv) {
  const size_t dh = C / H;
  float *qs = malloc(sizeof(float) * T * C), *ds = malloc(sizeof(float) * T * T);
  if (!qs || !ds) {
    free(qs);
    free(ds);
    return -1;
  }
  const float scale = (float)(1.0 / sqrt((double)dh));
  for (size_t b = 0; b < B; b++) {
    const size_t row0 = b * T * C;
    const float *kb = k + row0, *vb = val + row0, *dyb = dy + row0;
    scale_rows(T * C, q + row0, scale, qs);
    for (size_t h = 0; h < H; h++) {
      const float *ph = p + (b * H + h) * T * T;
      const size_t col = h * dh;
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)T, (int)dh, (int)T, 1.0f, ph, (int)T, dyb + col, (int)C, 0.0f, dv + row0 + col, (int)C);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)T, (int)T, (int)dh, 1.0f, dyb + col, (int)C, vb + col, (int)C, 0.0f, ds, (int)T);
      anira_softmax_grad_rows(T, T, ds, ph, ds);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)T, (int)dh, (int)T, 1.0f, ds, (int)T, kb + col, (int)C, 0.0f, dq + row0 + col, (int)C);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)T, (int)dh, (int)T, 1.0f, ds, (int)T, qs + col, (int)C, 0.0f, dk + row0 + col, (int)C);
    }
    float *dqb = dq + row0;
    for (size_t i = 0; i < T * C; i++) dqb[i] *= scale;
  }
  free(qs);
  free(ds);
  return 0;
}

napi_value anira_attention(napi_env env, napi_callback_info info) {
  void *data;
  size_t len, B, T, C, H;
  double v[12];
  if (!read_args(env, info, 12, "attention: expected (heap, batch, t, c, heads, qOff, kOff, vOff, biasOff, biasRows, oOff, pOff)", &data, &len, v)) return NULL;
  if (!anira_attention_shape(env, v + 1, "attention: batch, t, c, heads must be >= 1, batch * t, t * t and c fit in int32, and heads must divide c", &B, &T, &C, &H)) return NULL;
  const double R = v[9], rows = (double)B * T;
  if (R != (double)T && R != 1) return fail(env, "attention: biasRows must be t or 1");
  if (!floats_inside(v[5], rows * C, len) || !floats_inside(v[6], rows * C, len) || !floats_inside(v[7], rows * C, len) ||
      !floats_inside(v[8], B * R * T, len) || !floats_inside(v[10], rows * C, len) || !floats_inside(v[11], (double)B * H * T * T, len)) {
    return fail(env, "attention: an operand lies outside the heap or is not 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  const float *q = (const float *)(heap + (size_t)v[5]), *k = (const float *)(heap + (size_t)v[6]), *val = (const float *)(heap + (size_t)v[7]);
  const float *bias = (const float *)(heap + (size_t)v[8]);
  float *o = (float *)(heap + (size_t)v[10]), *p = (float *)(heap + (size_t)v[11]);
  anira_blas_lock();
  const int status = anira_attention_tokens(B, T, C, H, q, k, val, bias, (size_t)R, o, p);
  anira_blas_unlock();
  if (status != 0) return fail(env, "attention: out of memory for the scratch rows");
  return NULL;
}

napi_value anira_attention_grad(napi_env env, napi_callback_info info) {
  void *data;
  size_t len, B, T, C, H;
  double v[13];
  if (!read_args(env, info, 13, "attentionGrad: expected (heap, batch, t, c, heads, dyOff, qOff, kOff, vOff, pOff, dqOff, dkOff, dvOff)", &data, &len, v)) return NULL;
  if (!anira_attention_shape(env, v + 1, "attentionGrad: batch, t, c, heads must be >= 1, batch * t, t * t and c fit in int32, and heads must divide c", &B, &T, &C, &H)) return NULL;
  const double rows = (double)B * T;
  for (int i = 5; i <= 12; i++) {
    if (!floats_inside(v[i], i == 9 ? (double)B * H * T * T : rows * C, len)) return fail(env, "attentionGrad: an operand lies outside the heap or is not 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  const float *dy = (const float *)(heap + (size_t)v[5]), *q = (const float *)(heap + (size_t)v[6]);
  const float *k = (const float *)(heap + (size_t)v[7]), *val = (const float *)(heap + (size_t)v[8]), *p = (const float *)(heap + (size_t)v[9]);
  float *dq = (float *)(heap + (size_t)v[10]), *dk = (float *)(heap + (size_t)v[11]), *dv = (float *)(heap + (size_t)v[12]);
  anira_blas_lock();
  const int status = anira_attention_tokens_grad(B, T, C, H, dy, q, k, val, p, dq, dk, dv);
  anira_blas_unlock();
  if (status != 0) return fail(env, "attentionGrad: out of memory for the scratch rows");
  return NULL;
}

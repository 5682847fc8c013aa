/*
 * Training's attention sub-block as one kernel each way on the wasm heap: the Q, K
 * and V projections of the LayerNorm rows a, attention of every token
 * (attention-train.c) and the output projection, z = attention(a wq, a wk, a wv) wo,
 * and its gradients. The products are the native BatchMatMul's sgemm calls with the
 * same arguments, attention is attention-train.c's, and the gradient of a sums the
 * three projections' parts in the order tfjs's tape adds them (v, then k, then q),
 * so every output has the bits of the separate kernels. What it saves is memory:
 * the gradients of o, q, k and v and the three parts of a's gradient ([B*T, C] each)
 * stay in scratch rows here instead of becoming heap tensors that tfjs keeps until
 * the gradient step ends; 8 MiB per iteration at the W1 sizes.
 *
 * attentionBlock(heap, args): args a Float64Array of 17 numbers:
 *   0 batch, 1 t, 2 c, 3 heads, 4 biasRows (t or 1), then byte offsets: 5 a [batch * t, c],
 *   6 wq, 7 wk, 8 wv, 9 wo [c, c], 10 bias [batch, 1, biasRows, t], then written:
 *   11 z, 12 q, 13 k, 14 v, 15 o [batch * t, c], 16 p [batch, heads, t, t].
 *     q = a wq; k = a wk; v = a wv; (o, p) = attention(q, k, v, bias); z = o wo
 * attentionBlockGrad(heap, args): args a Float64Array of 20 numbers:
 *   0 batch, 1 t, 2 c, 3 heads, then byte offsets: 4 dz, 5 a, 6 q, 7 k, 8 v, 9 o
 *   [batch * t, c], 10 p, 11 wq, 12 wk, 13 wv, 14 wo, then written: 15 da [batch * t, c],
 *   16 dwq, 17 dwk, 18 dwv, 19 dwo [c, c].
 *     do = dz wo^T; dwo = o^T dz; (dq, dk, dv) = attention gradient of do
 *     da = (dv wv^T + dk wk^T) + dq wq^T; dwx = a^T dx for x in q, k, v
 *
 * Every range is checked before any access; the whole call runs under sgemm.c's
 * lock. The scratch rows are the calling thread's, kept between calls (5 [batch * t, c]).
 */
#include "heap.h"
#include "shared.h"
#include <cblas.h>
#include <stdlib.h>

#define BLOCK_ARGS 17
#define BLOCK_GRAD_ARGS 20


napi_value anira_attention_block(napi_env env, napi_callback_info info) {
  uint8_t *heap;
  size_t len, B, T, C, H;
  const double *a;
  if (!read_heap_args(env, info, BLOCK_ARGS, "attentionBlock: expected (heap, args: Float64Array of 17 numbers)", &heap, &len, &a) ||
      !anira_attention_shape(env, a, "attentionBlock: batch, t, c, heads must be >= 1, batch * t, t * t and c fit in int32, and heads must divide c", &B, &T, &C, &H)) {
    return NULL;
  }
  const double rows = a[0] * a[1], c = a[2], R = a[4];
  if (R != a[1] && R != 1) return fail(env, "attentionBlock: biasRows must be t or 1");
  int ok = floats_inside(a[5], rows * c, len) && floats_inside(a[10], a[0] * R * a[1], len) && floats_inside(a[16], a[0] * a[3] * a[1] * a[1], len);
  for (int i = 6; i <= 9; i++) ok = ok && floats_inside(a[i], c * c, len);
  for (int i = 11; i <= 15; i++) ok = ok && floats_inside(a[i], rows * c, len);
  if (!ok) return fail(env, "attentionBlock: an operand lies outside the heap or is not 4-byte aligned");
  const size_t M = B * T;
#define AT(i) ((float *)(heap + (size_t)a[i]))
  const float *x = AT(5), *wq = AT(6), *wk = AT(7), *wv = AT(8), *wo = AT(9), *bias = AT(10);
  float *z = AT(11), *q = AT(12), *k = AT(13), *v = AT(14), *o = AT(15), *p = AT(16);
#undef AT
  anira_blas_lock();
  anira_product(0, 0, M, C, C, x, wq, NULL, 0, q);
  anira_product(0, 0, M, C, C, x, wk, NULL, 0, k);
  anira_product(0, 0, M, C, C, x, wv, NULL, 0, v);
  const int status = anira_attention_tokens(B, T, C, H, q, k, v, bias, (size_t)R, o, p);
  if (status == 0) anira_product(0, 0, M, C, C, o, wo, NULL, 0, z);
  anira_blas_unlock();
  if (status != 0) return fail(env, "attentionBlock: out of memory for the scratch rows");
  return NULL;
}

napi_value anira_attention_block_grad(napi_env env, napi_callback_info info) {
  uint8_t *heap;
  size_t len, B, T, C, H;
  const double *a;
  if (!read_heap_args(env, info, BLOCK_GRAD_ARGS, "attentionBlockGrad: expected (heap, args: Float64Array of 20 numbers)", &heap, &len, &a) ||
      !anira_attention_shape(env, a, "attentionBlockGrad: batch, t, c, heads must be >= 1, batch * t, t * t and c fit in int32, and heads must divide c", &B, &T, &C, &H)) {
    return NULL;
  }
  const double rows = a[0] * a[1], c = a[2];
  int ok = floats_inside(a[10], a[0] * a[3] * a[1] * a[1], len) && floats_inside(a[15], rows * c, len);
  for (int i = 4; i <= 9; i++) ok = ok && floats_inside(a[i], rows * c, len);
  for (int i = 11; i <= 14; i++) ok = ok && floats_inside(a[i], c * c, len);
  for (int i = 16; i <= 19; i++) ok = ok && floats_inside(a[i], c * c, len);
  if (!ok) return fail(env, "attentionBlockGrad: an operand lies outside the heap or is not 4-byte aligned");
  const size_t M = B * T, MC = M * C;
#define AT(i) ((float *)(heap + (size_t)a[i]))
  const float *dz = AT(4), *x = AT(5), *q = AT(6), *k = AT(7), *v = AT(8), *o = AT(9), *p = AT(10);
  const float *wq = AT(11), *wk = AT(12), *wv = AT(13), *wo = AT(14);
  float *dx = AT(15), *dwq = AT(16), *dwk = AT(17), *dwv = AT(18), *dwo = AT(19);
#undef AT
  anira_blas_lock();
  float *dO = anira_kept_scratch(ANIRA_SCRATCH_BLOCK, 5 * MC);
  if (!dO) {
    anira_blas_unlock();
    return fail(env, "attentionBlockGrad: out of memory for the scratch rows");
  }
  float *dq = dO + MC, *dk = dq + MC, *dv = dk + MC, *part = dv + MC;
  anira_product(0, 1, M, C, C, dz, wo, NULL, 0, dO); /* do = dz wo^T */
  anira_product(1, 0, C, C, M, o, dz, NULL, 0, dwo); /* dwo = o^T dz */
  const int status = anira_attention_tokens_grad(B, T, C, H, dO, q, k, v, p, dq, dk, dv);
  if (status == 0) {
    anira_product(0, 1, M, C, C, dv, wv, NULL, 0, dx);   /* da = dv wv^T */
    anira_product(1, 0, C, C, M, x, dv, NULL, 0, dwv);
    anira_product(0, 1, M, C, C, dk, wk, NULL, 0, part); /* + dk wk^T */
    anira_product(1, 0, C, C, M, x, dk, NULL, 0, dwk);
    anira_add(MC, dx, part, dx);
    anira_product(0, 1, M, C, C, dq, wq, NULL, 0, part); /* + dq wq^T */
    anira_product(1, 0, C, C, M, x, dq, NULL, 0, dwq);
    anira_add(MC, dx, part, dx);
  }
  anira_blas_unlock();
  if (status != 0) return fail(env, "attentionBlockGrad: out of memory for the scratch rows");
  return NULL;
}

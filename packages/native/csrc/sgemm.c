/*
 * A serial single-precision GEMM (OpenBLAS cblas_sgemm) on
 * the bytes of one ArrayBuffer, addressed by byte offset. The JS side passes the
 * tfjs wasm backend's heap (`backend.wasm.HEAPU8.buffer`) and each tensor's
 * `memoryOffset`, so nothing is copied.
 *
 * sgemm(heap, batch, m, n, k, transA, transB, aOff, aStride, bOff, bStride,
 *       cOff, biasOff, biasLen)
 *   C_g [m, n] = op(A_g) [m, k] @ op(B_g) [k, n] (+ bias), row-major, for g < batch.
 *   A_g starts at aOff + g * aStride bytes (aStride 0 broadcasts one matrix), same
 *   for B; C is dense. biasOff < 0: no bias; biasLen is n (a row) or 1 (a scalar).
 *
 * The addon loads in worker threads too (addon.c). The prebuilt links the pthread
 * build of OpenBLAS with its thread count set to 1 (addon.c), so every call runs on
 * the calling thread, and that build locks its table of packing buffers: products
 * of several worker threads run at once, one core each. A serial OpenBLAS (built
 * without USE_LOCKING, as Debian's libopenblas-serial is) hands out those buffers
 * from one unlocked table: two threads inside sgemm at once can share a buffer and
 * return wrong products (seen: 71 of 20,000 rounds of tiny products on two worker
 * threads). With such a build (openblas_get_parallel() == 0) the products of all
 * threads of a process run one at a time under `blas_lock`. Every range is
 * checked against the buffer's length before any access.
 */
#include "heap.h"
#include "shared.h"
#include <cblas.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t blas_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t blas_kind_once = PTHREAD_ONCE_INIT;
static int blas_concurrent;

static void read_blas_kind(void) { blas_concurrent = openblas_get_parallel() != 0; }

int anira_blas_concurrent(void) {
  pthread_once(&blas_kind_once, read_blas_kind);
  return blas_concurrent;
}

void anira_blas_lock(void) {
  if (!anira_blas_concurrent()) pthread_mutex_lock(&blas_lock);
}
void anira_blas_unlock(void) {
  if (!anira_blas_concurrent()) pthread_mutex_unlock(&blas_lock);
}

void anira_bias_rows(size_t m, size_t n, const float *bias, size_t biasLen, float *c) {
  for (size_t i = 0; i < m; i++) {
    float *row = c + i * n;
    if (biasLen == 1) for (size_t j = 0; j < n; j++) row[j] = bias[0];
    else for (size_t j = 0; j < n; j++) row[j] = bias[j];
  }
}

void anira_product(int ta, int tb, size_t m, size_t n, size_t k, const float *a, const float *b, const float *bias, size_t biasLen, float *c) {
  if (bias) anira_bias_rows(m, n, bias, biasLen, c);
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, a, (int)(ta ? m : k), b,
              (int)(tb ? k : n), bias ? 1.0f : 0.0f, c, (int)n);
}

/* Each thread's scratch blocks, one per anira_scratch_slot, freed when the thread exits. */
typedef struct { float *data[ANIRA_SCRATCH_SLOTS]; size_t size[ANIRA_SCRATCH_SLOTS]; } thread_scratch;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void free_thread_scratch(void *p) {
  thread_scratch *t = p;
  for (int i = 0; i < ANIRA_SCRATCH_SLOTS; i++) free(t->data[i]);
  free(t);
}
static void make_scratch_key(void) { pthread_key_create(&scratch_key, free_thread_scratch); }

float *anira_kept_scratch(anira_scratch_slot slot, size_t floats) {
  pthread_once(&scratch_once, make_scratch_key);
  thread_scratch *t = pthread_getspecific(scratch_key);
  if (!t) {
    t = calloc(1, sizeof(thread_scratch));
    if (!t || pthread_setspecific(scratch_key, t) != 0) {
      free(t);
      return NULL;
    }
  }
  if (floats > t->size[slot]) {
    free(t->data[slot]);
    t->data[slot] = malloc(sizeof(float) * floats);
    t->size[slot] = t->data[slot] ? floats : 0;
  }
  return t->data[slot];
}

#define NARGS 14

napi_value anira_sgemm(napi_env env, napi_callback_info info) {
  size_t argc = NARGS;
  napi_value argv[NARGS];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != NARGS) {
    return fail(env, "sgemm: expected 14 arguments");
  }
  void *data = NULL;
  size_t len = 0;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &len) != napi_ok) {
    return fail(env, "sgemm: heap must be an ArrayBuffer");
  }
  double v[NARGS];
  for (size_t i = 1; i < NARGS; i++) {
    if (napi_get_value_double(env, argv[i], &v[i]) != napi_ok) return fail(env, "sgemm: arguments 2-14 must be numbers");
  }
  const double batch = v[1], m = v[2], n = v[3], k = v[4];
  const int ta = v[5] != 0, tb = v[6] != 0;
  const double aOff = v[7], aStride = v[8], bOff = v[9], bStride = v[10];
  const double cOff = v[11], biasOff = v[12], biasLen = v[13];
  if (batch < 1 || m < 1 || n < 1 || k < 1 || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
    return fail(env, "sgemm: batch, m, n, k must be >= 1 and fit in int32");
  }
  const double fa = 4.0 * m * k, fb = 4.0 * k * n, fc = 4.0 * m * n;
  if (!inside(aOff + (batch - 1) * aStride, fa, len) || !inside(aOff, fa, len) ||
      !inside(bOff + (batch - 1) * bStride, fb, len) || !inside(bOff, fb, len) ||
      !inside(cOff, fc * batch, len)) {
    return fail(env, "sgemm: an operand lies outside the heap");
  }
  if (((uint64_t)aOff | (uint64_t)bOff | (uint64_t)cOff | (uint64_t)aStride | (uint64_t)bStride) & 3) {
    return fail(env, "sgemm: offsets and strides must be multiples of 4 bytes");
  }
  const int hasBias = biasOff >= 0;
  if (hasBias && ((biasLen != n && biasLen != 1) || !inside(biasOff, 4.0 * biasLen, len) || ((uint64_t)biasOff & 3))) {
    return fail(env, "sgemm: bias must be n or 1 floats inside the heap");
  }
  uint8_t *heap = (uint8_t *)data;
  const int M = (int)m, N = (int)n, K = (int)k;
  const float *bias = hasBias ? (const float *)(heap + (size_t)biasOff) : NULL;
  anira_blas_lock();
  for (size_t g = 0; g < (size_t)batch; g++) {
    const float *A = (const float *)(heap + (size_t)(aOff + g * aStride));
    const float *B = (const float *)(heap + (size_t)(bOff + g * bStride));
    float *C = (float *)(heap + (size_t)cOff + g * (size_t)fc);
    anira_product(ta, tb, (size_t)M, (size_t)N, (size_t)K, A, B, bias, (size_t)biasLen, C);
  }
  anira_blas_unlock();
  return NULL;
}

/* true when products of several threads run at once (a thread-safe OpenBLAS build), false when one at a time. */
napi_value anira_concurrent(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_get_boolean(env, anira_blas_concurrent() != 0, &out);
  return out;
}

/* The OpenBLAS core this process selected at load time, e.g. "SkylakeX". */
napi_value anira_corename(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &out);
  return out;
}

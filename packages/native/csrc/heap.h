/*
 * Shared by the addon's functions: argument reading and range checks on the one
 * ArrayBuffer (the tfjs wasm heap) that every function works on in place.
 */
#ifndef ANIRA_HEAP_H
#define ANIRA_HEAP_H
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

/* Throw a RangeError with `msg`; returns NULL for `return fail(...)`. */
static inline napi_value fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

/* Does [off, off + bytes) lie inside [0, len)? */
static inline int inside(double off, double bytes, size_t len) {
  return off >= 0 && bytes >= 0 && off + bytes <= (double)len;
}

/* Is a float32 array of `count` elements at byte `off` inside and 4-byte aligned? */
static inline int floats_inside(double off, double count, size_t len) {
  return inside(off, 4.0 * count, len) && (((uint64_t)off) & 3) == 0;
}

/*
 * Read `n` arguments: argv[0] an ArrayBuffer (*data, *len), argv[1..n-1] numbers
 * into v[1..n-1]. Returns 0 and throws a TypeError naming `fn` on a mismatch.
 */
static inline int read_args(napi_env env, napi_callback_info info, size_t n, const char *fn,
                            void **data, size_t *len, double *v) {
  napi_value argv[20];
  size_t argc = 20;
  if (n > 20 || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != n) {
    napi_throw_type_error(env, NULL, fn);
    return 0;
  }
  if (napi_get_arraybuffer_info(env, argv[0], data, len) != napi_ok) {
    napi_throw_type_error(env, NULL, fn);
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if (napi_get_value_double(env, argv[i], &v[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, fn);
      return 0;
    }
  }
  return 1;
}

/*
 * Read (heap, args): argv[0] an ArrayBuffer (*heap, *len), argv[1] a Float64Array of
 * exactly `count` numbers (*args). Returns 0 and throws a TypeError with `usage` on a mismatch.
 */
static inline int read_heap_args(napi_env env, napi_callback_info info, size_t count, const char *usage, uint8_t **heap, size_t *len, const double **args) {
  napi_value argv[2];
  size_t argc = 2, n = 0;
  void *data = NULL, *raw = NULL;
  napi_typedarray_type type;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2 || napi_get_arraybuffer_info(env, argv[0], &data, len) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &type, &n, &raw, NULL, NULL) != napi_ok || type != napi_float64_array || n != count) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  *heap = (uint8_t *)data;
  *args = (const double *)raw;
  return 1;
}

/*
 * attention-train.c: the shape numbers (batch, t, c, heads) at v[0..3] of an attention
 * kernel, checked (each >= 1, batch * t, t * t and c in int32, heads divides c) into
 * B, T, C, H. Returns 0 and throws a RangeError with `fn` when they are bad.
 */
int anira_attention_shape(napi_env env, const double *v, const char *fn, size_t *B, size_t *T, size_t *C, size_t *H);

napi_value anira_sgemm(napi_env env, napi_callback_info info);
napi_value anira_corename(napi_env env, napi_callback_info info);
napi_value anira_concurrent(napi_env env, napi_callback_info info);
napi_value anira_layernorm(napi_env env, napi_callback_info info);
napi_value anira_layernorm_grad(napi_env env, napi_callback_info info);
napi_value anira_gelu(napi_env env, napi_callback_info info);
napi_value anira_gelu_grad(napi_env env, napi_callback_info info);
napi_value anira_softmax(napi_env env, napi_callback_info info);
napi_value anira_softmax_grad(napi_env env, napi_callback_info info);
napi_value anira_adam(napi_env env, napi_callback_info info);
napi_value anira_attention_rows(napi_env env, napi_callback_info info);
napi_value anira_attention(napi_env env, napi_callback_info info);
napi_value anira_attention_grad(napi_env env, napi_callback_info info);
napi_value anira_move_rows(napi_env env, napi_callback_info info);
napi_value anira_layer_rows(napi_env env, napi_callback_info info);
napi_value anira_mlp(napi_env env, napi_callback_info info);
napi_value anira_attention_block(napi_env env, napi_callback_info info);
napi_value anira_attention_block_grad(napi_env env, napi_callback_info info);
napi_value anira_mlp_grad(napi_env env, napi_callback_info info);
napi_value anira_cross_entropy(napi_env env, napi_callback_info info);
napi_value anira_cross_entropy_grad(napi_env env, napi_callback_info info);

#endif

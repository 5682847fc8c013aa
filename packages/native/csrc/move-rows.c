/*
 * Row moves inside the wasm heap, for skipping inference's row gathers and
 * scatters (@anira/tensor's heap-rows.ts): one call moves every row of a gather,
 * a scatter or a same-row copy by memcpy, where the JS fallback pays one
 * TypedArray copyWithin call (about 100 ns) per run of consecutive rows.
 *
 * moveRows(heap, dstOff, dstRows, srcOff, srcRows, c, n, dstIndex, srcIndex)
 *   dst [dstRows, c] and src [srcRows, c] float32 at byte offsets dstOff, srcOff.
 *   For i < n: row (dstIndex ? dstIndex[i] : i) of dst = row (srcIndex ?
 *   srcIndex[i] : i) of src, or a zero row where srcIndex[i] < 0. dstIndex and
 *   srcIndex are Int32Arrays (at least n long) or null. Every range and index is
 *   checked before any row moves; src and dst may be the same tensor (memmove).
 */
#include "heap.h"
#include <string.h>

#define NARGS 9
#define USAGE "moveRows: expected (heap, dstOff, dstRows, srcOff, srcRows, c, n, dstIndex: Int32Array | null, srcIndex: Int32Array | null)"

/* argv[i] as an Int32Array of at least n entries (*out), or null (*out = NULL); 0 on a mismatch. */
static int index_arg(napi_env env, napi_value v, size_t n, const int32_t **out) {
  napi_valuetype type;
  if (napi_typeof(env, v, &type) != napi_ok) return 0;
  if (type == napi_null || type == napi_undefined) {
    *out = NULL;
    return 1;
  }
  napi_typedarray_type kind;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, v, &kind, &length, &data, NULL, NULL) != napi_ok || kind != napi_int32_array || length < n) return 0;
  *out = (const int32_t *)data;
  return 1;
}

napi_value anira_move_rows(napi_env env, napi_callback_info info) {
  napi_value argv[NARGS];
  size_t argc = NARGS;
  void *data;
  size_t len;
  double v[7];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != NARGS || napi_get_arraybuffer_info(env, argv[0], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, USAGE);
    return NULL;
  }
  for (size_t i = 1; i < 7; i++) {
    if (napi_get_value_double(env, argv[i], &v[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, USAGE);
      return NULL;
    }
  }
  const double dstRows = v[2], srcRows = v[4], c = v[5], n = v[6];
  if (!(dstRows >= 0 && srcRows >= 0 && c >= 0 && n >= 0) || dstRows > INT32_MAX || srcRows > INT32_MAX || n > INT32_MAX || c > INT32_MAX) {
    return fail(env, "moveRows: dstRows, srcRows, c and n must be integers in [0, 2^31)");
  }
  if (!floats_inside(v[1], dstRows * c, len) || !floats_inside(v[3], srcRows * c, len)) {
    return fail(env, "moveRows: an operand lies outside the heap or is not 4-byte aligned");
  }
  const size_t N = (size_t)n, C = (size_t)c, MD = (size_t)dstRows, MS = (size_t)srcRows;
  const int32_t *di, *si;
  if (!index_arg(env, argv[7], N, &di) || !index_arg(env, argv[8], N, &si)) {
    napi_throw_type_error(env, NULL, USAGE);
    return NULL;
  }
  for (size_t i = 0; i < N; i++) {
    if (di ? di[i] < 0 || (size_t)di[i] >= MD : i >= MD) return fail(env, "moveRows: a destination row lies outside [0, dstRows)");
    if (si ? si[i] >= 0 && (size_t)si[i] >= MS : i >= MS) return fail(env, "moveRows: a source row lies outside [0, srcRows)");
  }
  float *dst = (float *)((uint8_t *)data + (size_t)v[1]);
  const float *src = (const float *)((uint8_t *)data + (size_t)v[3]);
  for (size_t i = 0; i < N; i++) {
    float *to = dst + (di ? (size_t)di[i] : i) * C;
    if (si && si[i] < 0) memset(to, 0, C * sizeof(float));
    else memmove(to, src + (si ? (size_t)si[i] : i) * C, C * sizeof(float));
  }
  return NULL;
}

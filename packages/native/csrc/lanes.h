/*
 * Reductions over a row of floats in LANES (8) independent float lanes, lane k
 * adding elements k, k + 8, ..., then the lanes and the tail in double. One
 * accumulator is a serial chain of dependent adds the compiler may not reorder
 * (no fast-math); independent lanes stay in one vector register (about 8x faster
 * at 128 floats). Used by rows.c (LayerNorm, softmax) and attention.c.
 */
#ifndef ANIRA_LANES_H
#define ANIRA_LANES_H
#include <stddef.h>

#define LANES_INLINE static inline __attribute__((always_inline))
#define LANES 8
LANES_INLINE double row_sum(size_t C, const float *x) {
  float lane[LANES] = {0};
  size_t j = 0;
  for (; j + LANES <= C; j += LANES)
    for (size_t k = 0; k < LANES; k++) lane[k] += x[j + k];
  double s = 0;
  for (size_t k = 0; k < LANES; k++) s += lane[k];
  for (; j < C; j++) s += x[j];
  return s;
}

/* sum over j of (x[j] - mean)^2, the same lanes. */
LANES_INLINE double row_sq(size_t C, const float *x, float mean) {
  float lane[LANES] = {0};
  size_t j = 0;
  for (; j + LANES <= C; j += LANES)
    for (size_t k = 0; k < LANES; k++) {
      const float d = x[j + k] - mean;
      lane[k] += d * d;
    }
  double s = 0;
  for (size_t k = 0; k < LANES; k++) s += lane[k];
  for (; j < C; j++) {
    const float d = x[j] - mean;
    s += (double)d * d;
  }
  return s;
}

/* sum over j of a[j] b[j], the same lanes. */
LANES_INLINE double row_dot(size_t C, const float *a, const float *b) {
  float lane[LANES] = {0};
  size_t j = 0;
  for (; j + LANES <= C; j += LANES)
    for (size_t k = 0; k < LANES; k++) lane[k] += a[j + k] * b[j + k];
  double s = 0;
  for (size_t k = 0; k < LANES; k++) s += lane[k];
  for (; j < C; j++) s += (double)a[j] * b[j];
  return s;
}

/* max over j of x[j] (n >= 1), in lanes: the maximum does not depend on the order. */
LANES_INLINE float row_max(size_t n, const float *x) {
  float mx = x[0];
  size_t j = 0;
  if (n >= LANES) {
    float lane[LANES];
    for (size_t k = 0; k < LANES; k++) lane[k] = x[k];
    for (j = LANES; j + LANES <= n; j += LANES)
      for (size_t k = 0; k < LANES; k++) lane[k] = x[j + k] > lane[k] ? x[j + k] : lane[k];
    for (size_t k = 0; k < LANES; k++) mx = lane[k] > mx ? lane[k] : mx;
  }
  for (; j < n; j++) mx = x[j] > mx ? x[j] : mx;
  return mx;
}

#endif

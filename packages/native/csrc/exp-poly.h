/*
 * The addon's one e^x, shared by rows.c (GELU, softmax) and cross-entropy.c so that
 * every kernel rounds it the same way: a polynomial the compiler vectorizes (no libm
 * call in the loops), relative error about 1e-7.
 */
#ifndef ANIRA_EXP_POLY_H
#define ANIRA_EXP_POLY_H
#include <stdint.h>

#define EXP_POLY_INLINE static inline __attribute__((always_inline))

/*
 * e^x: 2^i 2^f with f in [-0.5, 0.5], Taylor degree 6 of e^(f ln 2); 0 below -87
 * (no subnormals: masked attention scores give exact zeros), clamped at 88.
 */
EXP_POLY_INLINE float exp_poly(float x) {
  const int under = x < -87.0f;
  x = x > 88.0f ? 88.0f : x;
  x = x < -87.0f ? -87.0f : x;
  const float t = x * 1.4426950408889634f;
  const float r = (t + 12582912.0f) - 12582912.0f; /* round to nearest (1.5 * 2^23) */
  const float y = (t - r) * 0.6931471805599453f;
  const float p = 1.0f + y * (1.0f + y * (0.5f + y * (1.0f / 6 + y * (1.0f / 24 + y * (1.0f / 120 + y * (1.0f / 720))))));
  union { float f; int32_t i; } u;
  u.i = ((int32_t)r + 127) << 23;
  return under ? 0.0f : p * u.f;
}

#endif

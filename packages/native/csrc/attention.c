/*
 * Attention of query rows as one kernel on the wasm heap: the same math, rounded
 * step by step the same way, as @anira/tensor's scaledDotAttention between
 * splitHeads and mergeHeads (attention.ts), without the head split and merge
 * transposes and without padding the queries of a batch row to a common count.
 * Each head is a block of dh columns of the rows, read and written in place with
 * a leading dimension of c.
 *
 * attentionRows(heap, batch, t, c, heads, n, qOff, kOff, vOff, biasOff, biasRows, rowsOff, oOff)
 *   k, v [batch * t, c]: every token's keys and values; q, o [n, c]: the queries
 *   that run, row r being token rows[r] (b * t + position; int32, strictly
 *   ascending, so each batch row's queries are consecutive); rowsOff < 0 means all
 *   tokens run (n = batch * t, rows[r] = r). bias [batch, 1, biasRows, t] with
 *   biasRows t (one row per query position) or 1 (broadcast). For batch row b
 *   with queries Q_b and head h (dh = c / heads):
 *     scores = (q_Qb,h * f32(1 / sqrt(dh))) k_bh^T + bias_b[position]   [|Q_b|, t]
 *     o_Qb,h = softmax_rows(scores) v_bh                                [|Q_b|, dh]
 *   q is scaled in float32 before the product, the bias added after it, and the
 *   softmax is rows.c's, as in the composite; the products are cblas_sgemm calls
 *   with other leading dimensions. Where a subset of queries runs (rows given)
 *   and a batch row has at most SMALL_M (2) of them, the two products are plain
 *   loops instead (small_scores, small_values): there 2 x heads sgemm calls of
 *   one or two rows cost more in call overhead than in arithmetic (one query per
 *   batch row at B 64, T 64, C 128: 0.31-0.35 ms with sgemm, 0.14-0.16 ms with
 *   the loops; from 4 queries on, sgemm is faster). They round differently from
 *   sgemm, so only subsets take them: every token as a query keeps the
 *   composite's bits. A subset also runs its queries in groups of at most GROUP
 *   (8), each group's products over only the keys before the last key one of its
 *   queries may see (the bias masks the others, whose softmax weight is an exact
 *   0): causal queries early in the sequence skip the later keys. In the W2
 *   adaptive inference benchmark this took attention from 0.36 to 0.33 of its
 *   fixed-depth time (groups of 4: 0.36, of 16: 0.37).
 *
 *   On a CPU with AVX2 and FMA and dh a multiple of 8, a batch row with at most
 *   EXACT_MAX_M (16) queries of a subset takes neither: each query runs over
 *   exactly the keys it sees (exact_scores, exact_values: 8 keys per step, one
 *   accumulator each, then one transpose-add), with no call or packing overhead
 *   and no key read for a later query of its group. At B 64, T 64, C 128 with the
 *   W2 adaptive benchmark's rows (2,029 down to 29 queries, caches evicted between
 *   calls), attention summed over the seven packed iterations took 4.62-4.66 ms
 *   with this path against 4.78-5.01 ms without it (interleaved); applied to every
 *   subset (up to 64 queries per batch row) it was slower than the grouped
 *   products from about 32 queries per batch row on.
 *
 * Before a batch row computes, the keys and values rows it and the next batch row
 * with queries will read are prefetched (AHEAD batch rows in flight, see
 * prefetch_rows): a packed iteration's attention otherwise waits on memory.
 * In the W2 paired script the adaptive/fixed ratio went from 0.292 to 0.286 (mean of 3
 * runs of 12 pairs each); 1, 4, 8 or 16 rows ahead were no better than 2.
 *
 * Offsets in bytes; every range, and the rows, are checked before any access.
 * The products run under sgemm.c's lock (see there). The checked body is
 * anira_attend_rows, which layer.c's one-call layer calls too.
 */
#include "heap.h"
#include "shared.h"
#include "lanes.h"
#include <cblas.h>
#include <math.h>
#include <stdlib.h>

#define NARGS 13
#define SMALL_M 2
/* Batch rows with at most this many queries of a subset take the per-query path (exact_scores, exact_values) */
#define EXACT_MAX_M 16
#ifndef GROUP
#define GROUP 8
#endif
#ifndef AHEAD
#define AHEAD 2
#endif
/* Half of @anira/tensor's MASKED_SCORE (-1e9): bias entries below it mask their key. */
#define MASKED_BELOW (-5e8f)
/* Keys a bias row lets its query see end at its last entry that is not masked (0 if none). */
static size_t visible_end(const float *bias_row, size_t T) {
  size_t e = T;
  while (e > 0 && bias_row[e - 1] < MASKED_BELOW) e--;
  return e;
}
/*
 * One head of m queries: scores [m, T] = qs_h k_h^T (rows of dh floats with a
 * stride of C), then o_h [m, dh] = scores v_h, skipping keys whose weight is an
 * exact 0 (masked keys: rows.c's exp gives 0 below -87). The caller adds the
 * bias and takes the softmax between the two calls.
 */
CLONES static void small_scores(size_t m, size_t T, size_t C, size_t dh, const float *qs, const float *k, float *scores) {
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < T; j++) scores[i * T + j] = (float)row_dot(dh, qs + i * C, k + j * C);
}

CLONES static void small_values(size_t m, size_t T, size_t C, size_t dh, const float *scores, const float *v, float *o) {
  for (size_t i = 0; i < m; i++) {
    float *oi = o + i * C;
    for (size_t d = 0; d < dh; d++) oi[d] = 0.0f;
    for (size_t j = 0; j < T; j++) {
      const float p = scores[i * T + j];
      if (p == 0.0f) continue;
      const float *vj = v + j * C;
      for (size_t d = 0; d < dh; d++) oi[d] += p * vj[d];
    }
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EXACT_AVX2 __attribute__((target("avx2,fma")))
EXACT_AVX2 static float hsum8(__m256 a) {
  __m128 x = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  x = _mm_hadd_ps(x, x);
  return _mm_cvtss_f32(_mm_hadd_ps(x, x));
}

/* s[j] = q . k_j for j < e; q [dh], k rows of dh floats with a stride of C (dh a multiple of 8). */
EXACT_AVX2 static void exact_scores(size_t e, size_t C, size_t dh, const float *q, const float *k, float *s) {
  size_t j = 0;
  for (; j + 8 <= e; j += 8) {
    const float *kj = k + j * C;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (size_t d = 0; d < dh; d += 8) {
      const __m256 qd = _mm256_loadu_ps(q + d);
      a0 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + d), a0);
      a1 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + C + d), a1);
      a2 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + 2 * C + d), a2);
      a3 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + 3 * C + d), a3);
      a4 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + 4 * C + d), a4);
      a5 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + 5 * C + d), a5);
      a6 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + 6 * C + d), a6);
      a7 = _mm256_fmadd_ps(qd, _mm256_loadu_ps(kj + 7 * C + d), a7);
    }
    /* two rounds of hadd: lane 0 holds a0..a3 summed over elements 0-3, lane 1 over 4-7 (a4..a7 alike) */
    const __m256 lo = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    const __m256 hi = _mm256_hadd_ps(_mm256_hadd_ps(a4, a5), _mm256_hadd_ps(a6, a7));
    _mm256_storeu_ps(s + j, _mm256_add_ps(_mm256_permute2f128_ps(lo, hi, 0x20), _mm256_permute2f128_ps(lo, hi, 0x31)));
  }
  for (; j < e; j++) {
    __m256 a = _mm256_setzero_ps();
    for (size_t d = 0; d < dh; d += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(q + d), _mm256_loadu_ps(k + j * C + d), a);
    s[j] = hsum8(a);
  }
}

/* o [dh] = sum over j < e of s[j] v_j (v rows of dh floats with a stride of C), skipping exact zeros. */
EXACT_AVX2 static void exact_values(size_t e, size_t C, size_t dh, const float *s, const float *v, float *o) {
  size_t d = 0;
  for (; d + 32 <= dh; d += 32) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t j = 0; j < e; j++) {
      if (s[j] == 0.0f) continue;
      const __m256 p = _mm256_set1_ps(s[j]);
      const float *vj = v + j * C + d;
      a0 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj), a0);
      a1 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj + 8), a1);
      a2 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj + 16), a2);
      a3 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj + 24), a3);
    }
    _mm256_storeu_ps(o + d, a0);
    _mm256_storeu_ps(o + d + 8, a1);
    _mm256_storeu_ps(o + d + 16, a2);
    _mm256_storeu_ps(o + d + 24, a3);
  }
  for (; d < dh; d += 8) {
    __m256 a = _mm256_setzero_ps();
    for (size_t j = 0; j < e; j++)
      if (s[j] != 0.0f) a = _mm256_fmadd_ps(_mm256_set1_ps(s[j]), _mm256_loadu_ps(v + j * C + d), a);
    _mm256_storeu_ps(o + d, a);
  }
}

/* Whether this CPU has AVX2 and FMA (asked once) and dh is a multiple of 8. */
static int exact_supported(size_t dh) {
  static int cpu = -1;
  if (cpu < 0) cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return cpu && dh % 8 == 0;
}
#else
static int exact_supported(size_t dh) { (void)dh; return 0; }
static void exact_scores(size_t e, size_t C, size_t dh, const float *q, const float *k, float *s) { (void)e; (void)C; (void)dh; (void)q; (void)k; (void)s; }
static void exact_values(size_t e, size_t C, size_t dh, const float *s, const float *v, float *o) { (void)e; (void)C; (void)dh; (void)s; (void)v; (void)o; }
#endif

/* The end (exclusive) of the queries of query r's batch row (rows strictly ascending; NULL: every token). */
static size_t query_end(const int32_t *rows, size_t N, size_t T, size_t r) {
  if (!rows) return ((r / T) + 1) * T < N ? ((r / T) + 1) * T : N;
  const size_t b = (size_t)rows[r] / T;
  while (r < N && (size_t)rows[r] / T == b) r++;
  return r;
}

/*
 * Ask for the keys and values rows [0, end) of batch row nb (rows of C floats) to be
 * brought into the cache (L2) before it computes (the caller keeps AHEAD batch rows
 * in flight: the current one and the next). By the time a
 * packed iteration's attention runs, the matrix products before it have evicted the
 * keys and values, and a batch row with few queries reads its rows one head block at
 * a time (128 of every 512 bytes at C 128): with nothing in flight that read waits on
 * memory (W2 adaptive inference: 0.23 ms for 29 queries from a cold cache, 0.06 ms warm).
 */
static void prefetch_rows(const float *k, const float *v, size_t nb, size_t end, size_t T, size_t C) {
  const char *kp = (const char *)(k + nb * T * C), *vp = (const char *)(v + nb * T * C);
  const size_t bytes = end * C * sizeof(float);
  for (size_t off = 0; off < bytes; off += 64) {
    __builtin_prefetch(kp + off, 0, 2);
    __builtin_prefetch(vp + off, 0, 2);
  }
}

/*
 * One head of every token of a batch row as a query, T queries over T keys, the
 * composite's operations in its order: scores [T, T] = qs k^T (qs already scaled),
 * plus the bias rows (biasRows T or 1), softmax; o [T, dh] = scores v. q, k, v and o
 * are dh columns of rows of C floats. scores is left holding the softmax weights,
 * which attention-train.c's forward keeps for the gradient. Caller holds the lock.
 */
void anira_attend_head(size_t T, size_t C, size_t dh, const float *qs, const float *k, const float *v, const float *bias, size_t biasRows, float *scores, float *o) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)T, (int)T, (int)dh, 1.0f, qs, (int)C, k, (int)C, 0.0f, scores, (int)T);
  for (size_t i = 0; i < T; i++) {
    const float *br = bias + (biasRows == 1 ? 0 : i) * T;
    float *sr = scores + i * T;
    for (size_t j = 0; j < T; j++) sr[j] += br[j];
  }
  anira_softmax_rows(T, T, scores, scores);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)T, (int)dh, (int)T, 1.0f, scores, (int)T, v, (int)C, 0.0f, o, (int)C);
}

napi_value anira_attention_rows(napi_env env, napi_callback_info info) {
  void *data;
  size_t len;
  double v[NARGS];
  if (!read_args(env, info, NARGS, "attentionRows: expected (heap, batch, t, c, heads, n, qOff, kOff, vOff, biasOff, biasRows, rowsOff, oOff)", &data, &len, v)) return NULL;
  const double batch = v[1], t = v[2], c = v[3], heads = v[4], n = v[5], biasRows = v[10], rowsOff = v[11];
  if (batch < 1 || t < 1 || c < 1 || heads < 1 || n < 0 || batch * t > INT32_MAX || c > INT32_MAX || fmod(c, heads) != 0) {
    return fail(env, "attentionRows: batch, t, c, heads must be >= 1, batch * t and c fit in int32, and heads must divide c");
  }
  if (biasRows != t && biasRows != 1) return fail(env, "attentionRows: biasRows must be t or 1");
  if (rowsOff < 0 && n != batch * t) return fail(env, "attentionRows: without rows, n must be batch * t");
  if (!floats_inside(v[6], n * c, len) || !floats_inside(v[7], batch * t * c, len) || !floats_inside(v[8], batch * t * c, len) ||
      !floats_inside(v[9], batch * biasRows * t, len) || !floats_inside(v[12], n * c, len) || (rowsOff >= 0 && !floats_inside(rowsOff, n, len))) {
    return fail(env, "attentionRows: an operand lies outside the heap or is not 4-byte aligned");
  }
  uint8_t *heap = (uint8_t *)data;
  const int32_t *rows = rowsOff >= 0 ? (const int32_t *)(heap + (size_t)rowsOff) : NULL;
  const size_t B = (size_t)batch, T = (size_t)t, C = (size_t)c, H = (size_t)heads, R = (size_t)biasRows, N = (size_t)n;
  if (rows && !anira_rows_valid(rows, N, B * T)) return fail(env, "attentionRows: rows must be strictly ascending token rows in [0, batch * t)");
  const float *q = (const float *)(heap + (size_t)v[6]);
  const float *k = (const float *)(heap + (size_t)v[7]);
  const float *val = (const float *)(heap + (size_t)v[8]);
  const float *bias = (const float *)(heap + (size_t)v[9]);
  float *o = (float *)(heap + (size_t)v[12]);
  anira_blas_lock();
  const int status = anira_attend_rows(B, T, C, H, N, q, k, val, bias, R, rows, o);
  anira_blas_unlock();
  if (status != 0) return fail(env, "attentionRows: out of memory for the scratch rows");
  return NULL;
}

int anira_rows_valid(const int32_t *rows, size_t n, size_t limit) {
  for (size_t r = 0; r < n; r++) {
    if (rows[r] < 0 || (size_t)rows[r] >= limit || (r > 0 && rows[r] <= rows[r - 1])) return 0;
  }
  return 1;
}

int anira_attend_rows(size_t B, size_t T, size_t C, size_t H, size_t N, const float *q, const float *k, const float *val,
                      const float *bias, size_t R, const int32_t *rows, float *o) {
  const size_t dh = C / H;
  float *qs = malloc(sizeof(float) * T * C);
  float *scores = malloc(sizeof(float) * T * T);
  if (!qs || !scores) {
    free(qs);
    free(scores);
    return -1;
  }
  const float scale = (float)(1.0 / sqrt((double)dh));
  size_t r0 = 0, pf = 0, fetched = 0, done = 0; /* pf: the first query whose batch row is not prefetched */
  for (size_t b = 0; b < B && r0 < N; b++) {
    size_t r1 = r0;
    while (r1 < N && (rows ? (size_t)rows[r1] : r1) < (b + 1) * T) r1++;
    const size_t m = r1 - r0; /* queries of batch row b: rows r0 .. r1 - 1 */
    if (m == 0) continue;
    while (pf < N && fetched < done + AHEAD) { /* this and the next AHEAD - 1 batch rows with queries */
      const size_t pe = query_end(rows, N, T, pf), last = rows ? (size_t)rows[pe - 1] : pe - 1, nb = last / T;
      const size_t e = visible_end(bias + (nb * R + (R == 1 ? 0 : last - nb * T)) * T, T);
      prefetch_rows(k, val, nb, e ? e : T, T, C);
      pf = pe;
      fetched++;
    }
    done++;
    const float *kb = k + b * T * C, *vb = val + b * T * C;
    for (size_t i = 0; i < m * C; i++) qs[i] = q[r0 * C + i] * scale;
    if (rows && m <= EXACT_MAX_M && exact_supported(dh)) { /* each query over exactly the keys it sees */
      for (size_t i = 0; i < m; i++) {
        const size_t pos = (size_t)rows[r0 + i] - b * T;
        const float *br = bias + (b * R + (R == 1 ? 0 : pos)) * T;
        size_t e = visible_end(br, T);
        if (e == 0) e = T; /* every key masked: the softmax spreads over all T, as the composite's */
        for (size_t h = 0; h < H; h++) {
          exact_scores(e, C, dh, qs + i * C + h * dh, kb + h * dh, scores);
          for (size_t j = 0; j < e; j++) scores[j] += br[j];
          anira_softmax_rows(1, e, scores, scores);
          exact_values(e, C, dh, scores, vb + h * dh, o + (r0 + i) * C + h * dh);
        }
      }
      r0 = r1;
      continue;
    }
    if (!rows) { /* every token runs: all T keys, the composite's bits */
      for (size_t h = 0; h < H; h++) anira_attend_head(T, C, dh, qs + h * dh, kb + h * dh, vb + h * dh, bias + b * R * T, R, scores, o + r0 * C + h * dh);
      r0 = r1;
      continue;
    }
    /* a subset: groups of at most GROUP queries, each over the keys before the last one any of its queries sees */
    for (size_t g0 = 0; g0 < m; g0 += GROUP) {
      const size_t gm = m - g0 < GROUP ? m - g0 : GROUP;
      size_t kend = 0;
      for (size_t i = 0; i < gm && kend < T; i++) {
        const size_t e = visible_end(bias + (b * R + (R == 1 ? 0 : (size_t)rows[r0 + g0 + i] - b * T)) * T, T);
        kend = e > kend ? e : kend;
      }
      if (kend == 0) kend = T; /* every key masked: the softmax spreads over all T, as the composite's */
      const int small = gm <= SMALL_M;
      const float *qg = qs + g0 * C;
      float *og = o + (r0 + g0) * C;
      for (size_t h = 0; h < H; h++) {
        if (small) small_scores(gm, kend, C, dh, qg + h * dh, kb + h * dh, scores);
        else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)gm, (int)kend, (int)dh, 1.0f, qg + h * dh, (int)C, kb + h * dh, (int)C, 0.0f, scores, (int)kend);
        for (size_t i = 0; i < gm; i++) {
          const float *br = bias + (b * R + (R == 1 ? 0 : (size_t)rows[r0 + g0 + i] - b * T)) * T;
          float *sr = scores + i * kend;
          for (size_t j = 0; j < kend; j++) sr[j] += br[j];
        }
        anira_softmax_rows(gm, kend, scores, scores);
        if (small) small_values(gm, kend, C, dh, scores, vb + h * dh, og + h * dh);
        else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)gm, (int)dh, (int)kend, 1.0f, scores, (int)kend, vb + h * dh, (int)C, 0.0f, og + h * dh, (int)C);
      }
    }
    r0 = r1;
  }
  free(qs);
  free(scores);
  return 0;
}

/*
 * What one C file of the addon lends another: sgemm.c's lock around OpenBLAS
 * (see there when the products of the process run one at a time under it) and
 * its per-thread scratch blocks, rows.c's
 * softmax and its gradient, so that attention.c and attention-train.c round
 * exactly as the separate kernels do, attention.c's every-token head, and
 * the CLONES attribute: loops built twice, for x86-64-v3 (AVX2, FMA) and the
 * baseline, the loader picking one for the CPU (GCC's target_clones; a
 * vectorized GELU runs about 6x faster with AVX2 + FMA than with SSE2 alone).
 */
#ifndef ANIRA_SHARED_H
#define ANIRA_SHARED_H
#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#define CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

/* 1 when the linked OpenBLAS takes concurrent calls (a pthread or OpenMP build); then the lock is a no-op. */
int anira_blas_concurrent(void);
void anira_blas_lock(void);
void anira_blas_unlock(void);
/*
 * sgemm.c: c [m, n] = op(a) op(b) (+ bias rows), row-major, leading dimensions those of
 * dense operands: the one product every native BatchMatMul and fused kernel makes, so
 * that their outputs have the same bits. A bias (biasLen n or 1) fills c first and the
 * product adds to it (beta 1); without one the product writes c (beta 0).
 */
void anira_product(int ta, int tb, size_t m, size_t n, size_t k, const float *a, const float *b, const float *bias, size_t biasLen, float *c);
/* Scratch floats a kernel keeps between calls, one block per slot and thread, grown to its largest call. */
typedef enum { ANIRA_SCRATCH_LAYER, ANIRA_SCRATCH_MLP, ANIRA_SCRATCH_BLOCK, ANIRA_SCRATCH_SLOTS } anira_scratch_slot;
/* The calling thread's block of `slot`, grown to at least `floats` (contents not kept); NULL when out of memory. */
float *anira_kept_scratch(anira_scratch_slot slot, size_t floats);
/* sgemm.c: c [m, n] filled with the bias row (biasLen n) or value (biasLen 1), the start of a biased product (beta 1). */
void anira_bias_rows(size_t m, size_t n, const float *bias, size_t biasLen, float *c);
/* y = softmax of each of `rows` rows of n floats of x (x == y allowed). */
void anira_softmax_rows(size_t rows, size_t n, const float *x, float *y);
/* dx = y (dy - sum(dy y)) per row of n floats (dx == dy allowed). */
void anira_softmax_grad_rows(size_t rows, size_t n, const float *dy, const float *y, float *dx);
/* rows.c's LayerNorm of m rows of c floats (y, stats [m, 2]) and GELU of n floats (x == y allowed), as its kernels. */
void anira_layer_norm_rows(size_t m, size_t c, const float *x, const float *gamma, const float *beta, float *y, float *stats, float eps);
void anira_gelu_rows(size_t n, const float *x, float *y);
/* rows.c: out = a + b over n floats, as the Add kernel rounds it (out may be a or b). */
void anira_add(size_t n, const float *a, const float *b, float *out);
/* rows.c's GELU gradient dx = dy gelu'(x) of n floats (dx == dy allowed). */
void anira_gelu_grad_rows(size_t n, const float *dy, const float *x, float *dx);
/* attention.c: one head of every token of a batch row as a query (see there); scores [T, T] keeps the softmax weights. */
void anira_attend_head(size_t T, size_t C, size_t dh, const float *qs, const float *k, const float *v, const float *bias, size_t biasRows, float *scores, float *o);
/*
 * attention.c: attention of query rows (see anira_attention_rows there) on checked
 * pointers; rows NULL means every token. Caller holds the lock. Returns 0, or -1
 * when its scratch rows cannot be allocated.
 */
int anira_attend_rows(size_t B, size_t T, size_t C, size_t H, size_t N, const float *q, const float *k, const float *v,
                      const float *bias, size_t biasRows, const int32_t *rows, float *o);
/*
 * attention-train.c: training attention of every token (see there) on checked pointers, and its
 * gradient. Caller holds the lock. Each returns 0, or -1 when its scratch rows cannot be allocated.
 */
int anira_attention_tokens(size_t B, size_t T, size_t C, size_t H, const float *q, const float *k, const float *v, const float *bias, size_t biasRows,
                           float *o, float *p);
int anira_attention_tokens_grad(size_t B, size_t T, size_t C, size_t H, const float *dy, const float *q, const float *k, const float *v, const float *p,
                                float *dq, float *dk, float *dv);
/* Are rows[0..n) strictly ascending token rows in [0, limit)? */
int anira_rows_valid(const int32_t *rows, size_t n, size_t limit);

#endif

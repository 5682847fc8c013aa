/*
 * What one C file of the addon lends another: sgemm.c's lock around OpenBLAS
 * (see there why every product of the process runs under it) and rows.c's
 * softmax, so that attention.c rounds exactly as the separate kernels do.
 */
#ifndef ANIRA_SHARED_H
#define ANIRA_SHARED_H
#include <stddef.h>

void anira_blas_lock(void);
void anira_blas_unlock(void);
/* y = softmax of each of `rows` rows of n floats of x (x == y allowed). */
void anira_softmax_rows(size_t rows, size_t n, const float *x, float *y);

#endif

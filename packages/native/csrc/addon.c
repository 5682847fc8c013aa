/*
 * @anira/native addon entry: registers the functions of sgemm.c (products),
 * rows.c (LayerNorm, GELU and softmax), adam.c (the optimizer update),
 * attention.c (attention of query rows) and attention-train.c (training
 * attention, forward and gradient), layer.c (one inference layer over
 * running rows), mlp.c (training's GELU MLP) and attention-block.c (training's
 * projections, attention and output projection) and cross-entropy.c (the
 * per-token loss), forward and gradient each.
 * Context-aware (NAPI_MODULE_INIT), so it loads in every worker thread; the
 * only shared state is sgemm.c's lock (used with a serial OpenBLAS only); scratch
 * rows are per thread.
 */
#include "heap.h"
#include <cblas.h>
#include <pthread.h>

/* OpenBLAS's pthread build (blas_server.c): joins its thread pool. Weak: a serial build has none. */
extern int blas_thread_shutdown_(void) __attribute__((weak));

/*
 * Once per process: one thread per call (a no-op for the serial build). A pthread
 * build starts a pool of one thread fewer than the cores when it loads; with one
 * thread per call it never uses it, so the pool is joined rather than left asleep.
 */
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static void single_threaded_blas(void) {
  openblas_set_num_threads(1);
  if (openblas_get_parallel() == 1 && blas_thread_shutdown_) blas_thread_shutdown_();
}

static void add(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &f);
  napi_set_named_property(env, exports, name, f);
}

NAPI_MODULE_INIT() {
  pthread_once(&blas_once, single_threaded_blas);
  add(env, exports, "sgemm", anira_sgemm);
  add(env, exports, "corename", anira_corename);
  add(env, exports, "concurrent", anira_concurrent);
  add(env, exports, "layerNorm", anira_layernorm);
  add(env, exports, "layerNormGrad", anira_layernorm_grad);
  add(env, exports, "gelu", anira_gelu);
  add(env, exports, "geluGrad", anira_gelu_grad);
  add(env, exports, "softmax", anira_softmax);
  add(env, exports, "softmaxGrad", anira_softmax_grad);
  add(env, exports, "adam", anira_adam);
  add(env, exports, "attentionRows", anira_attention_rows);
  add(env, exports, "attention", anira_attention);
  add(env, exports, "attentionGrad", anira_attention_grad);
  add(env, exports, "moveRows", anira_move_rows);
  add(env, exports, "layerRows", anira_layer_rows);
  add(env, exports, "mlp", anira_mlp);
  add(env, exports, "mlpGrad", anira_mlp_grad);
  add(env, exports, "attentionBlock", anira_attention_block);
  add(env, exports, "attentionBlockGrad", anira_attention_block_grad);
  add(env, exports, "crossEntropy", anira_cross_entropy);
  add(env, exports, "crossEntropyGrad", anira_cross_entropy_grad);
  return exports;
}

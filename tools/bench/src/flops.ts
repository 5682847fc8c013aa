/**
 * FLOPs of the benchmark workloads, from @anira/model's own formula (multiply-add
 * = 2 FLOPs; projections, MLP, attention and the output head per executed
 * iteration; embeddings, LayerNorm, softmax, GELU and the halting head uncounted).
 * Training counts forward x 3 (the usual convention: backward is about twice the forward).
 */
import { tokenFlops, type ModelConfig } from '@anira/model';

/** Forward FLOPs of `batch` full sequences of `length` tokens that all run `depth` iterations. */
export function forwardFlops(config: ModelConfig, batch: number, length: number, depth: number): number {
  const causal = config.attention === 'causal';
  let sum = 0;
  for (let t = 0; t < length; t++) sum += tokenFlops(config, causal ? t + 1 : length, depth);
  return batch * sum;
}

/** FLOPs of one training step: forward over all tMax iterations, times 3 for forward + backward. */
export function trainStepFlops(config: ModelConfig, batch: number, length: number): number {
  return 3 * forwardFlops(config, batch, length, config.tMax);
}

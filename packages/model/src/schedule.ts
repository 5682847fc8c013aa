/** Learning-rate schedule: linear warmup then cosine decay to `lr * minLrRatio`. */

/** Learning rate for update `step` (0-based) of `total`. */
export function learningRate(step: number, total: number, lr: number, warmup: number, minLrRatio: number): number {
  if (warmup > 0 && step < warmup) return (lr * (step + 1)) / warmup;
  const span = Math.max(1, total - warmup);
  const progress = Math.min(1, (step - warmup) / span);
  const min = lr * minLrRatio;
  return min + 0.5 * (lr - min) * (1 + Math.cos(Math.PI * progress));
}

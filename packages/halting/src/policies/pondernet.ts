/**
 * PonderNet (Banino 2021): lambda_t = sigmoid(head(h_t)), lambda_S = 1,
 * p_t = lambda_t prod_{j<t} (1 - lambda_j); objective sum_t p_t L_t +
 * beta KL(p || Geometric(lambdaP) truncated to S). Inference keeps the paper's
 * rule by default: the exit is SAMPLED from the lambdas (seeded); 'threshold'
 * (PALBERT) exits when the cumulative p reaches q, which is ANIRA-O's default.
 */
import { definePolicy } from '../define-policy.js';
import type { PolicyDims } from '../spec.js';
import { penaltyOptionSpecs } from './penalty-options.js';
import { createStepwisePolicy } from './stepwise-core.js';
import { stepwiseOptionSpecsWith, type StepwiseOptionValues } from './stepwise-options.js';

export interface PonderNetOptions extends StepwiseOptionValues, Record<string, unknown> {
  beta: number;
  lambdaP: number;
}

export const ponderNetPolicy = definePolicy<PonderNetOptions>(
  'pondernet',
  'PonderNet (Banino 2021): halting distribution from per-step lambdas, expected loss plus KL to a geometric prior; samples the exit.',
  [
    ...penaltyOptionSpecs.filter((o) => o.name === 'beta' || o.name === 'lambdaP'),
    ...stepwiseOptionSpecsWith('sample'),
  ],
  (dims, o) =>
    createStepwisePolicy(dims, {
      name: 'pondernet',
      penalty: { kind: 'kl-geometric', beta: o.beta, lambdaP: o.lambdaP, depthCost: 0 },
      options: o,
    }),
);

export const ponderNet = (dims: PolicyDims, options?: Partial<PonderNetOptions>) => ponderNetPolicy.create(dims, options);

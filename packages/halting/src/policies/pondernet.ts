/**
 * PonderNet (Banino 2021): lambda_t = sigmoid(head(h_t)), lambda_S = 1,
 * p_t = lambda_t prod_{j<t} (1 - lambda_j); objective sum_t p_t L_t +
 * beta KL(p || Geometric(lambdaP) truncated to S); inference exits when the
 * cumulative p reaches q (PALBERT) or samples the exit.
 */
import { definePolicy } from '../define-policy.js';
import type { PolicyDims } from '../spec.js';
import { createStepwisePolicy, stepwiseOptionSpecs } from './stepwise-core.js';

export interface PonderNetOptions extends Record<string, unknown> {
  beta: number;
  lambdaP: number;
  q: number;
  inference: 'threshold' | 'sample';
  biasInit: number;
}

export const ponderNetPolicy = definePolicy<PonderNetOptions>(
  'pondernet',
  'PonderNet (Banino 2021): halting distribution from per-step lambdas, expected loss plus KL to a geometric prior.',
  [
    { name: 'beta', type: 'number', default: 0.01, min: 0, max: 100, description: 'Scale of KL(p || geometric prior).' },
    { name: 'lambdaP', type: 'number', default: 0.2, min: 1e-3, max: 1, description: 'Geometric prior success probability.' },
    ...stepwiseOptionSpecs,
  ],
  (dims, o) =>
    createStepwisePolicy(dims, {
      name: 'pondernet',
      penalty: { kind: 'kl-geometric', beta: o.beta, lambdaP: o.lambdaP, depthCost: 0 },
      q: o.q,
      inference: o.inference,
      biasInit: o.biasInit,
      options: { ...o },
    }),
);

export const ponderNet = (dims: PolicyDims, options?: Partial<PonderNetOptions>) => ponderNetPolicy.create(dims, options);

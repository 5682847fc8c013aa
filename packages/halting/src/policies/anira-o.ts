/**
 * ANIRA-O (online halting): at every iteration a halting head reads the token's
 * CURRENT state; PonderNet-style distribution; the compute penalty is the same
 * `computePenalty` as ANIRA-E, so the two differ only in when they decide.
 */
import { definePolicy } from '../define-policy.js';
import type { PolicyDims } from '../spec.js';
import { penaltyOf, penaltyOptionSpecs, type PenaltyOptionValues } from './penalty-options.js';
import { createStepwisePolicy, stepwiseOptionSpecs } from './stepwise-core.js';

export interface AniraOOptions extends PenaltyOptionValues, Record<string, unknown> {
  q: number;
  inference: 'threshold' | 'sample';
  biasInit: number;
}

export const aniraOPolicy = definePolicy<AniraOOptions>(
  'anira-o',
  'ANIRA-O: online halting decided at every iteration from the current state.',
  [
    ...penaltyOptionSpecs,
    ...stepwiseOptionSpecs,
  ],
  (dims, o) =>
    createStepwisePolicy(dims, {
      name: 'anira-o',
      penalty: penaltyOf(o),
      q: o.q,
      inference: o.inference,
      biasInit: o.biasInit,
      options: { ...o },
    }),
);

export const aniraO = (dims: PolicyDims, options?: Partial<AniraOOptions>) => aniraOPolicy.create(dims, options);

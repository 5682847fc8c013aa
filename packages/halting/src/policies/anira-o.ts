/**
 * ANIRA-O (online halting): at every iteration a halting head reads the token's
 * CURRENT state; stick-breaking (PonderNet-style) distribution; the compute penalty
 * is the same `computePenalty` as ANIRA-E, and the exit rule (threshold q by
 * default) the same as ANIRA-E-hazard's, so those two differ only in which state
 * the decision reads.
 */
import { definePolicy } from '../define-policy.js';
import type { PolicyDims } from '../spec.js';
import { penaltyOf, penaltyOptionSpecs, type PenaltyOptionValues } from './penalty-options.js';
import { createStepwisePolicy } from './stepwise-core.js';
import { stepwiseOptionSpecs, type StepwiseOptionValues } from './stepwise-options.js';

export interface AniraOOptions extends PenaltyOptionValues, StepwiseOptionValues, Record<string, unknown> {}

export const aniraOPolicy = definePolicy<AniraOOptions>(
  'anira-o',
  'ANIRA-O: online halting decided at every iteration from the current state.',
  [
    ...penaltyOptionSpecs,
    ...stepwiseOptionSpecs,
  ],
  (dims, o) => createStepwisePolicy(dims, { name: 'anira-o', penalty: penaltyOf(o), options: o }),
);

export const aniraO = (dims: PolicyDims, options?: Partial<AniraOOptions>) => aniraOPolicy.create(dims, options);

/** The compute-penalty options shared by ANIRA-O and ANIRA-E (same names, same defaults). */
import type { PenaltyKind, PenaltyOptions } from '../math/penalty.js';
import type { PolicyOptionSpec } from '../spec.js';

export interface PenaltyOptionValues {
  penalty: PenaltyKind;
  beta: number;
  lambdaP: number;
  depthCost: number;
}

export const penaltyOptionSpecs: readonly PolicyOptionSpec[] = [
  { name: 'penalty', type: 'string', default: 'kl-geometric', choices: ['kl-geometric', 'expected-depth'], description: 'Compute penalty: beta KL(p || geometric) or depthCost E[d].' },
  { name: 'beta', type: 'number', default: 0.01, min: 0, max: 100, description: 'Scale of the KL penalty.' },
  { name: 'lambdaP', type: 'number', default: 0.2, min: 1e-3, max: 0.99, description: 'Geometric prior success probability (below 1: a prior of 1 has zeros after step 1, where the KL of any trainable p is infinite).' },
  { name: 'depthCost', type: 'number', default: 0.01, min: 0, max: 100, description: 'Scale of the expected-depth penalty.' },
];

export function penaltyOf(o: PenaltyOptionValues): PenaltyOptions {
  return { kind: o.penalty, beta: o.beta, lambdaP: o.lambdaP, depthCost: o.depthCost };
}

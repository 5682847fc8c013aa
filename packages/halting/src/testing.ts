/** Test helpers for policy authors: `@anira/halting/testing` (re-exports only). */
export { createForcedDepthPolicy, type DepthFn } from './policies/forced-depth.js';
export { simulateInference, type SimulationInput, type SimulationResult } from './testing/simulate.js';
export {
  batchShape, haltingLogits, policyCase, policyDims, toTensors,
  type CaseTensors, type DimsConstraints, type PolicyCase,
} from './testing/arbitraries.js';

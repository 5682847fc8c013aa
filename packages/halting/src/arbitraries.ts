/**
 * fast-check arbitraries for policy authors: `@anira/halting/arbitraries`
 * (re-exports only, by name). Needs fast-check installed (an optional peer
 * dependency); `simulateInference` and `toTensors` are in `@anira/halting/testing`.
 */
export {
  batchShape, haltingLogits, policyCase, policyDims,
  type DimsConstraints, type PolicyCase,
} from './testing/arbitraries.js';

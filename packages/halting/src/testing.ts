/**
 * Test helpers for policy authors: `@anira/halting/testing` (re-exports only, by
 * name). Needs no fast-check; the property-based arbitraries are in
 * `@anira/halting/arbitraries`.
 */
export { createForcedDepthPolicy, type DepthFn } from './policies/forced-depth.js';
export { simulateInference, type SimulationInput, type SimulationResult } from './testing/simulate.js';
export { toTensors, type CaseTensors, type PolicyCase } from './testing/case.js';

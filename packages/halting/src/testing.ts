/** Test helpers for policy authors: `@anira/halting/testing`. */
export { createForcedDepthPolicy, type DepthFn } from './policies/forced-depth.js';

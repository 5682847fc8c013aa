/** Public entry of @anira/halting: the v1 spec and the built-in policies (re-exports only). */
export * from './spec.js';
export { createForcedDepthPolicy, type DepthFn } from './policies/forced-depth.js';

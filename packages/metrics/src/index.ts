/** Public entry of @anira/metrics (re-exports only). */
export * from './trace.js';

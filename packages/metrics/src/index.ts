/** Public entry of @anira/metrics (re-exports only). Browser-safe: no `node:` imports. */
export * from './trace.js';
export * from './trace-io.js';
export * from './stats/correlation.js';
export * from './stats/kendall.js';
export * from './stats/bootstrap.js';
export * from './stats/design.js';
export * from './stats/ols.js';
export * from './stats/commonality.js';
export * from './stats/accuracy.js';
export { normalTwoSidedP, studentTTwoSidedP } from './stats/special.js';
export { midranks } from './stats/ranks.js';
export * from './analysis/alignment.js';
export * from './analysis/generalization.js';
export * from './analysis/decision-timing.js';
export * from './analysis/efficiency.js';
export * from './analysis/format-table.js';
export * from './analysis/format-analysis.js';
export { tokenTable, meanSd, traceLabel, type TokenTable } from './analysis/token-table.js';

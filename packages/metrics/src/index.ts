/**
 * Public entry of @anira/metrics (re-exports only, by name). Browser-safe: no
 * `node:` imports and no plotting libraries. Subpaths: `@anira/metrics/stats` (the
 * statistics building blocks), `@anira/metrics/report` (HTML/SVG report, needs
 * vega), `@anira/metrics/node` (trace and report files).
 */
export { AniraInputError, type AniraInputErrorCode } from '@anira/tasks/errors';
export {
  TRACE_FORMAT_VERSION, SUPPORTED_TRACE_VERSIONS,
  type FeatureGroup, type TraceFeatureSpec, type TraceHeader, type TokenTrace, type ExampleTrace, type Trace,
} from './trace.js';
export { parseTraceJsonl, traceLines, traceToJsonl } from './trace-io.js';
export { pearson, spearman, type CorrelationResult } from './stats/correlation.js';
export { kendall } from './stats/kendall.js';
export { commonality, type Commonality } from './stats/commonality.js';
export { accuracy, type AccuracyResult } from './stats/accuracy.js';
export type { ConfidenceInterval, BootstrapOptions } from './stats/bootstrap.js';
export {
  alignment,
  type AlignmentResult, type CorrelationWithCI, type DepthDifficultyCorrelation, type DifficultyRow,
} from './analysis/alignment.js';
export type { PositionBaseline, Stratified } from './analysis/alignment-controls.js';
export { generalization, type GeneralizationResult, type GeneralizationRow, type SplitSummary } from './analysis/generalization.js';
export { decisionTiming, type DecisionTimingOptions, type DecisionTimingResult } from './analysis/decision-timing.js';
export { declaredFeatureSets, type FeatureSetResult, type FeatureSets } from './analysis/feature-sets.js';
export { efficiency, efficiencyPareto, paretoFront, type EfficiencyResult, type ParetoPoint } from './analysis/efficiency.js';
export { formatTable, type Cell } from './analysis/format-table.js';
export {
  type FormatAnalysisOptions,
  formatAnalysis, formatSummaryTable, formatAlignment, formatGeneralization, formatDecisionTiming, formatEfficiency,
} from './analysis/format-analysis.js';
export { meanSd } from './analysis/token-table.js';

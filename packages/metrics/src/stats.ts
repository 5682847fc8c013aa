/**
 * Entry `@anira/metrics/stats`: the statistics the analyses are built from, for
 * users who compute their own (re-exports only, by name; browser-safe). Every
 * function validates its input (equal lengths, finite values) and throws a one-line
 * error; formulas and tests are described in docs/metrics.md.
 */
export { pearson, spearman, type CorrelationResult } from './stats/correlation.js';
export { kendall } from './stats/kendall.js';
export { partialSpearman, type PartialCorrelationResult } from './stats/partial.js';
export { midranks } from './stats/ranks.js';
export { normalTwoSidedP, studentTTwoSidedP } from './stats/special.js';
export {
  clusterBootstrapCI, clusterBootstrapColumnsCI, quantileType7,
  type BootstrapOptions, type ConfidenceInterval,
} from './stats/bootstrap.js';
export { buildDesign, type DesignColumn, type FeatureColumn } from './stats/design.js';
export { ols, type OlsCoefficient, type OlsOptions, type OlsResult } from './stats/ols.js';
export { commonality, type Commonality } from './stats/commonality.js';
export { commonality3, type Commonality3, type ThreeGroups } from './stats/commonality3.js';
export { accuracy, type AccuracyResult } from './stats/accuracy.js';
export {
  normalQuantile, studentTQuantile, tInterval, welchDifference, twoSampleTPower, seedsForPower,
  type SeedInterval, type SeedDifference,
} from './stats/seed-stats.js';

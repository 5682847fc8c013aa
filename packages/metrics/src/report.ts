/**
 * Entry `@anira/metrics/report`: the HTML/SVG report renderer. The only entry that
 * imports the plotting libraries (vega, vega-lite: optional peer dependencies of
 * @anira/metrics, install them to use this entry), so the root entry stays light.
 */
export { renderReport } from './report/render-report.js';
export type { ReportRun, ReportOptions, Report, TrainingLogEntry } from './report/types.js';

/** Input types of the HTML report: one ReportRun per model/run shown side by side. */
import type { Trace } from '../trace.js';

export interface TrainingLogEntry {
  readonly step: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly meanDepth?: number;
}

export interface ReportRun {
  readonly label: string;
  /** One or more traces (e.g. per policy or per inference tMax). */
  readonly traces: readonly Trace[];
  readonly trainingLog?: readonly TrainingLogEntry[];
  /** Token id -> text, to show tokens as text in the per-token view. */
  readonly vocab?: readonly string[];
}

export interface ReportOptions {
  /** Report title (default "ANIRA analysis report"). */
  readonly title?: string;
  /** Bootstrap resamples for the alignment CIs (default 1000). */
  readonly resamples?: number;
  readonly seed?: number;
  /** Examples shown per trace in the per-token view (default 3). */
  readonly examplesPerTrace?: number;
}

export interface Report {
  readonly html: string;
  /** Every plot as a standalone SVG document, keyed by a stable file-friendly name. */
  readonly svgs: Record<string, string>;
}

/** The series name of a trace inside a run: the run label, plus the trace label if the run has several. */
export function seriesLabel(run: ReportRun, trace: Trace): string {
  if (run.traces.length === 1) return run.label;
  return `${run.label} / ${trace.header.label ?? `${trace.header.policy} T=${trace.header.tMax}`}`;
}

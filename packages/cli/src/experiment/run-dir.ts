/**
 * The layout of a run folder. Every file is written atomically, so an interrupted
 * run never leaves a truncated config, checkpoint, trace or report behind.
 *
 *   config.json        the validated experiment config
 *   metrics.jsonl      one training log entry per update (append-only)
 *   checkpoint.anira   the latest checkpoint (see docs/model.md); what --resume continues
 *   best.anira         the weights of the best held-out evaluation (evaluated and traced)
 *   .anira.lock        held while a process writes the folder (see run-lock.ts)
 *   trace.jsonl        inference trace at the training T_max (docs/metrics.md)
 *   trace-tmax-N.jsonl inference traces at other inference T_max values
 *   summary.json       headline numbers
 *   report/            index.html and standalone SVG plots
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const runFiles = (dir: string) => ({
  config: join(dir, 'config.json'),
  metrics: join(dir, 'metrics.jsonl'),
  checkpoint: join(dir, 'checkpoint.anira'),
  best: join(dir, 'best.anira'),
  trace: join(dir, 'trace.jsonl'),
  traceAt: (tMax: number) => join(dir, `trace-tmax-${tMax}.jsonl`),
  summary: join(dir, 'summary.json'),
  report: join(dir, 'report'),
});

/** Every trace file in a run folder, the main one first. */
export function traceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).filter((f) => /^trace(-tmax-\d+)?\.jsonl$/.test(f));
  names.sort((a, b) => (a === 'trace.jsonl' ? -1 : b === 'trace.jsonl' ? 1 : a.localeCompare(b, 'en', { numeric: true })));
  return names.map((f) => join(dir, f));
}

/** Read a metrics log, skipping a torn last line. */
export function readMetricsLog(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a torn final line from an interrupted run
    }
  }
  return out;
}

/** The `steps` and `stopped` of a run's summary.json (undefined: none, or unreadable). */
export function readSummaryStatus(dir: string): { steps: number; stopped: string } | undefined {
  try {
    const s = JSON.parse(readFileSync(runFiles(dir).summary, 'utf8')) as { steps?: unknown; stopped?: unknown };
    return typeof s.steps === 'number' && typeof s.stopped === 'string' ? { steps: s.steps, stopped: s.stopped } : undefined;
  } catch (e) {
    if (e instanceof SyntaxError || (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

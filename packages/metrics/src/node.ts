/**
 * Node-only helpers (subpath `@anira/metrics/node`): read and write trace files and
 * write a rendered report to disk. Kept out of the main entry so that entry stays
 * browser-safe (no `node:` imports there).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Report } from './report/types.js';
import type { Trace } from './trace.js';
import { parseTraceJsonl, traceLines } from './trace-io.js';

/** Reads and validates a JSONL trace file. Errors are prefixed with the path. */
export async function readTraceFile(path: string): Promise<Trace> {
  const text = await readFile(path, 'utf8');
  try {
    return parseTraceJsonl(text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Writes a trace as JSONL, one line at a time (no whole-file string in memory). */
export async function writeTraceFile(path: string, trace: Trace): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const finished = once(out, 'finish');
  for (const line of traceLines(trace)) if (!out.write(`${line}\n`)) await once(out, 'drain');
  out.end();
  await finished;
}

/** Writes `index.html` and `svg/<name>.svg` for each plot into `dir` (created if missing). Returns the HTML path. */
export async function writeReport(dir: string, report: Report): Promise<string> {
  await mkdir(join(dir, 'svg'), { recursive: true });
  const html = join(dir, 'index.html');
  await writeFile(html, report.html, 'utf8');
  await Promise.all(Object.entries(report.svgs).map(([name, svg]) => writeFile(join(dir, 'svg', `${name}.svg`), svg, 'utf8')));
  return html;
}

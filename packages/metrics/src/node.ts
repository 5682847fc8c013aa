/**
 * Node-only helpers (subpath `@anira/metrics/node`): read and write trace files and
 * write a rendered report to disk. Files are written with the project's one atomic
 * writer (`@anira/tensor/node`, bundled into this entry at build time so metrics
 * needs no tfjs). Kept out of the main entry so that entry stays browser-safe (no
 * `node:` imports there).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AniraInputError, pathError } from '@anira/tasks/errors';
import { writeFileAtomic } from '@anira/tensor/node';
import type { Report } from './report/types.js';
import type { Trace } from './trace.js';
import { parseTraceJsonl, traceLines } from './trace-io.js';

/**
 * Reads and validates a JSONL trace file. A missing or malformed file is an
 * `AniraInputError` whose message starts with the path.
 */
export async function readTraceFile(path: string): Promise<Trace> {
  const text = await readFile(path, 'utf8').catch((e: unknown) => {
    throw pathError(path, e);
  });
  try {
    return parseTraceJsonl(text);
  } catch (e) {
    if (!AniraInputError.isInstance(e)) throw e;
    throw new AniraInputError(`${path}: ${e.message}`, { code: e.code, field: path, cause: e });
  }
}

/** Writes a trace as JSONL, atomically (temp file, fsync, rename). */
export async function writeTraceFile(path: string, trace: Trace): Promise<void> {
  let text = '';
  for (const line of traceLines(trace)) text += `${line}\n`;
  writeFileAtomic(path, text);
}

/** Writes `index.html` and `<name>.svg` for each plot into `dir` (created if missing), the layout of `anira report`. Returns the HTML path. */
export async function writeReport(dir: string, report: Report): Promise<string> {
  for (const [name, svg] of Object.entries(report.svgs)) writeFileAtomic(join(dir, `${name}.svg`), svg);
  const html = join(dir, 'index.html');
  writeFileAtomic(html, report.html);
  return html;
}

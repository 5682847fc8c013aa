/**
 * File writes for run folders: whole files atomically (the project's one atomic
 * writer, from `@anira/metrics/node`), the metrics log append-only.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@anira/metrics/node';

export { writeFileAtomic };

/** Write a JSON value atomically (pretty-printed). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Append one JSON line (metrics logs are append-only; a torn last line is skipped on read). */
export function appendJsonLine(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, JSON.stringify(value) + '\n');
}

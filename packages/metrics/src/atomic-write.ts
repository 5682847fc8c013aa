/**
 * Atomic file writes, the one implementation the project uses for everything it
 * writes to disk (traces, reports, checkpoints, run folders, benchmark results):
 * write a temp file in the same directory, fsync, then rename over the target, so a
 * crash never leaves a half-written file and an existing file is replaced whole or
 * not at all. Node-only (exported from `@anira/metrics/node`).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Write `data` to `path` atomically, creating the parent directory if needed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw new Error(`cannot write "${path}": ${(e as Error).message}`);
  }
  closeSync(fd);
  renameSync(tmp, path);
}

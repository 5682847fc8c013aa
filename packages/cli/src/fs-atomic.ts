/**
 * File writes for run folders: whole files atomically (the project's one atomic
 * writer, from `@anira/tensor/node`), the metrics log append-only, and the removal
 * of temp files that killed atomic writes left behind. A full disk is a
 * `DiskFullError` naming the file; `fsFailure` turns any other errno error from a
 * folder the user named into one line (exit 2 for a bad path, 1 for the environment).
 */
import { appendFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempFilePid, writeFileAtomic as writeAtomic } from '@anira/tensor/node';
import { RunFailure, UsageError } from './errors.js';

/** The disk (or quota) filled up while writing `path`. */
export class DiskFullError extends RunFailure {
  constructor(readonly path: string) {
    super(`disk full while writing ${path}`);
  }
}

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const errno = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/** Rethrow a full-disk error as `DiskFullError(path)`; anything else unchanged. */
export function rethrowDiskFull(e: unknown, path: string): never {
  if (FULL.has(errno(e) ?? '')) throw new DiskFullError(path);
  throw e;
}

/** Write a whole file atomically (temp file, fsync, rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  try {
    writeAtomic(path, data);
  } catch (e) {
    rethrowDiskFull(e, path);
  }
}

/** Write a JSON value atomically (pretty-printed). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Append one JSON line (metrics logs are append-only; a torn last line is skipped on read). The folder must exist. */
export function appendJsonLine(path: string, value: unknown): void {
  try {
    appendFileSync(path, JSON.stringify(value) + '\n');
  } catch (e) {
    rethrowDiskFull(e, path);
  }
}

/**
 * One line for an errno error met while preparing folder `what` (e.g. `--out runs/x`):
 * a path that cannot be a folder (a file, /proc) is the user's input, exit 2; a
 * read-only or full filesystem or missing permission is the environment, exit 1.
 */
export function fsFailure(e: unknown, what: string): Error {
  const code = errno(e);
  if (code === undefined || e instanceof UsageError || e instanceof RunFailure) return e as Error;
  const message = `${what}: ${(e as Error).message}`;
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'ENOENT' || code === 'EISDIR' || code === 'ENAMETOOLONG') return new UsageError(message);
  return new RunFailure(message);
}

/** Is `pid` a live process on this host? (EPERM: alive, someone else's.) */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove temp files (`.<name>.<pid>.<n>.tmp`) of atomic writes killed mid-write from
 * folder `dir`: those whose pid is dead on this host. Call while no other process
 * writes the folder (a run folder: with its lock held). Returns the names removed.
 */
export function removeStaleTempFiles(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = tempFilePid(name);
    if (pid === undefined || pid === process.pid || pidAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // gone already
    }
  }
  return removed;
}

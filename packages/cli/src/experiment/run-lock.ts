/**
 * The exclusive lock of a run folder, so two writers never train into the same
 * folder; `RunFolder.lock()` / `open()` (run-folder.ts) take it, naming the lock
 * file. Taken atomically with `open(path, 'wx')` and holding JSON
 * `{ pid, host, since }`. A lock left by a dead process on this host (checked with
 * `process.kill(pid, 0)`) is taken over; a lock from another host is always
 * respected (its pid means nothing here). Released on normal exit, on SIGINT and
 * SIGTERM (then the process exits 130 / 143), and by `release()`.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { makeDirectory } from '@anira/tensor/node';
import { RunFailure } from '../errors.js';
import { pidAlive } from '../fs-atomic.js';

export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** The folder is locked by a live writer (a sweep worker skips such a run). */
export class RunLockedError extends RunFailure {
  constructor(
    readonly dir: string,
    readonly lockFile: string,
    readonly holder: LockInfo | undefined,
  ) {
    super(
      holder
        ? `run folder "${dir}" is in use by pid ${holder.pid} on ${holder.host} since ${holder.since} (lock file ${lockFile}; delete it only if that process is gone)`
        : `run folder "${dir}" is being locked by another process right now (lock file ${lockFile})`,
    );
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A lock nobody holds any more: a dead pid on this host, or an empty file (writer killed mid-create) older than 10 s. */
function isStale(path: string, info: LockInfo | undefined): boolean {
  if (info) return info.host === hostname() && !pidAlive(info.pid);
  try {
    return Date.now() - statSync(path).mtimeMs > 10_000;
  } catch {
    return false;
  }
}

/** Take over a stale lock: rename it away atomically (only one contender wins), then re-check it. */
function takeOver(path: string, info: LockInfo | undefined): boolean {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // another contender moved it first
  }
  const moved = readLock(aside);
  if (moved && info && (moved.pid !== info.pid || moved.host !== info.host) && !isStale(aside, moved)) {
    // a live lock was created between our read and our rename: put it back
    try {
      linkSync(aside, path);
    } catch {
      // someone else took the folder meanwhile; their lock stands
    }
    rmSync(aside, { force: true });
    return false;
  }
  rmSync(aside, { force: true });
  return true;
}

/** The release functions of the locks this process holds, by lock path. */
const held = new Map<string, () => void>();

/** What Ctrl-C prints for a locked folder (by lock path), e.g. where the run stopped and how to resume it. */
const interruptNotes = new Map<string, () => string | undefined>();

/**
 * Set the line Ctrl-C (SIGINT) prints while the lock at `path` is held (read when
 * the signal arrives). Returns the function that removes it.
 */
export function setInterruptNote(path: string, note: () => string | undefined): () => void {
  interruptNotes.set(path, note);
  return () => {
    if (interruptNotes.get(path) === note) interruptNotes.delete(path);
  };
}

/**
 * Lock run folder `dir` (created if missing) for this process through its lock file
 * `path`. Throws `RunLockedError` naming the holder. Returns the release function
 * (idempotent).
 */
export function acquireRunLock(dir: string, path: string): () => void {
  makeDirectory(dir);
  const me: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const info = readLock(path);
      if (attempt < 3 && isStale(path, info) && takeOver(path, info)) continue;
      throw new RunLockedError(dir, path, info);
    }
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
    } finally {
      closeSync(fd);
    }
    break;
  }
  const release = () => {
    if (!held.delete(path)) return;
    process.off('exit', release);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    const info = readLock(path);
    if (info?.pid === me.pid && info.host === me.host) rmSync(path, { force: true });
  };
  const onSigint = () => {
    const note = interruptNotes.get(path)?.();
    if (note !== undefined) process.stderr.write(`\nanira: ${note}\n`);
    release();
    process.exit(130);
  };
  const onSigterm = () => {
    release();
    process.exit(143);
  };
  held.set(path, release);
  process.on('exit', release);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return release;
}

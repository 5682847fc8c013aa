/**
 * The exclusive lock of a run folder (`<dir>/.anira.lock`), so two writers never
 * train into the same folder. Taken atomically with `open(path, 'wx')` and holding
 * JSON `{ pid, host, since }`. A lock left by a dead process on this host (checked
 * with `process.kill(pid, 0)`) is taken over; a lock from another host is always
 * respected (its pid means nothing here). Released on normal exit, on SIGINT and
 * SIGTERM (then the process exits 130 / 143), and by `release()`.
 * Also: stale temp files of killed atomic writes are removed once the lock is held.
 */
import { closeSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeDirectory, tempFilePid } from '@anira/tensor/node';
import { RunFailure } from '../errors.js';

export const LOCK_FILE = '.anira.lock';

export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** The folder is locked by a live writer (a sweep worker skips such a run). */
export class RunLockedError extends RunFailure {
  constructor(
    readonly dir: string,
    readonly holder: LockInfo | undefined,
  ) {
    super(
      holder
        ? `run folder "${dir}" is in use by pid ${holder.pid} on ${holder.host} since ${holder.since} (lock file ${join(dir, LOCK_FILE)}; delete it only if that process is gone)`
        : `run folder "${dir}" is being locked by another process right now (lock file ${join(dir, LOCK_FILE)})`,
    );
  }
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

const held = new Map<string, () => void>();

/**
 * Lock run folder `dir` (created if missing) for this process. Throws `RunLockedError`
 * naming the holder. Returns the release function (idempotent).
 */
/** What Ctrl-C prints for a locked folder (by lock path), e.g. where the run stopped and how to resume it. */
const interruptNotes = new Map<string, () => string | undefined>();

/**
 * Set the line Ctrl-C (SIGINT) prints for run folder `dir` while its lock is held
 * (read when the signal arrives). Returns the function that removes it.
 */
export function setInterruptNote(dir: string, note: () => string | undefined): () => void {
  const path = join(dir, LOCK_FILE);
  interruptNotes.set(path, note);
  return () => {
    if (interruptNotes.get(path) === note) interruptNotes.delete(path);
  };
}

export function acquireRunLock(dir: string): () => void {
  makeDirectory(dir);
  const path = join(dir, LOCK_FILE);
  const me: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const info = readLock(path);
      if (attempt < 3 && isStale(path, info) && takeOver(path, info)) continue;
      throw new RunLockedError(dir, info);
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

/**
 * Remove temp files (`.<name>.<pid>.<n>.tmp`) of atomic writes killed mid-write:
 * those whose pid is dead on this host. Call with the folder's lock held. Returns
 * the names removed.
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

/**
 * Atomic file writes, the one implementation the project uses for everything it
 * writes to disk (traces, reports, checkpoints, run folders, benchmark results):
 * write a temp file in the same directory, fsync, then rename over the target, so a
 * crash never leaves a half-written file and an existing file is replaced whole or
 * not at all. Errors are one line naming the path and keep the errno `code`
 * (ENOSPC, EROFS...) so callers can tell a full disk from a bad path. Temp files are
 * named `.<name>.<pid>.<n>.tmp`: a writer killed mid-write leaves one behind, which
 * `isStaleTempFile` lets a later run recognise and remove. Node-only (exported from
 * `@anira/tensor/node`, which imports no tfjs).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

let counter = 0;

/** An Error with a one-line message that keeps the errno code of its cause. */
function fsError(message: string, cause: unknown): Error {
  const code = (cause as NodeJS.ErrnoException).code;
  return Object.assign(new Error(message), code ? { code } : {});
}

/**
 * Create `dir` and its missing parents, one level at a time. (Node's recursive
 * `mkdirSync` loops forever under /proc, which answers ENOENT to every mkdir.)
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    try {
      if (!statSync(p).isDirectory()) throw Object.assign(new Error(`"${p}" is a file, not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(`cannot create folder "${dir}": ${(e as Error).message}`, e);
    }
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(`cannot create folder "${d}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, e);
    }
  }
}

/** The pid in a temp file name written by `writeFileAtomic` (undefined: not one of ours). */
export function tempFilePid(name: string): number | undefined {
  const m = /^\..+\.(\d+)\.\d+\.tmp$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Write `data` to `path` atomically, creating the parent directory if needed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  makeDirectory(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw fsError(`cannot write "${path}": ${(e as Error).message}`, e);
  }
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw fsError(`cannot write "${path}": ${(e as Error).message}`, e);
  }
}

/**
 * The CLI's error policy: how an error that escapes a command is printed and which
 * exit code it gets.
 *
 *   UsageError, InvalidArgumentError      `anira: <message>`, exit 2
 *   RunFailure                            `anira: <message>`, exit 1
 *   Node file-system error (ENOSPC...)    `anira: cannot write <path>: disk full`, exit 1,
 *                                         or exit 2 when the path is one the user typed
 *                                         and is the wrong kind (a folder for a file...)
 *   anything else                         a bug: the stack and a request to report it, exit 1
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { FAILURE_EXIT, RunFailure, USAGE_EXIT, UsageError } from './errors.js';

/** Where bugs are reported. */
export const ISSUES_URL = 'https://github.com/anira-ts/anira/issues';

/** The error codes of Node's fs calls that are described in words rather than as bugs. */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'a file already exists there',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** What the failed system call was doing, in words. */
const FS_OPERATIONS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'write',
  fsync: 'write',
  close: 'write',
  mkdir: 'create the folder',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'read',
  lstat: 'read',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  copyfile: 'copy',
  symlink: 'link',
  link: 'link',
};

type FsError = NodeJS.ErrnoException & { code: string; dest?: string };

/** Is `e` one of the described Node file-system errors? */
export function isFsError(e: unknown): e is FsError {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && Object.hasOwn(FS_REASONS, (e as NodeJS.ErrnoException).code!);
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The argument the user typed that `e` is about, when it is the wrong kind of path:
 * EISDIR/ENOTDIR on a path given on the command line. `readFileSync(<folder>)` gives
 * EISDIR without a path, so then the `--config` value (or else the one argument that
 * is an existing folder) is taken to be it.
 */
function userPathOfWrongKind(e: FsError, argv: readonly string[]): string | undefined {
  if (e.code !== 'EISDIR' && e.code !== 'ENOTDIR') return undefined;
  const typed = argv.filter((a) => !a.startsWith('-') && existsSync(a));
  if (e.path !== undefined) return typed.find((a) => resolve(a) === resolve(e.path!));
  if (e.code !== 'EISDIR') return undefined;
  const cfg = argv.indexOf('--config');
  const configValue = cfg >= 0 ? argv[cfg + 1] : argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
  if (configValue !== undefined && isDir(configValue)) return configValue;
  const dirs = typed.filter(isDir);
  return dirs.length === 1 ? dirs[0] : undefined;
}

/** One line describing a file-system error, e.g. `cannot write runs/x/metrics.jsonl: disk full`. */
export function describeFsError(e: FsError, path = e.path): string {
  const op = e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'EROFS' ? 'write' : (FS_OPERATIONS[e.syscall ?? ''] ?? 'access');
  const where = path ?? e.dest;
  return `cannot ${op}${where !== undefined ? ` ${where}` : ''}: ${FS_REASONS[e.code]!}`;
}

/** Print `e` the way the CLI reports it and return the exit code. */
export function reportError(e: unknown, argv: readonly string[], write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (e instanceof UsageError || e instanceof InvalidArgumentError) {
    write(`anira: ${e.message}\n`);
    return USAGE_EXIT;
  }
  if (e instanceof RunFailure) {
    write(`anira: ${e.message}\n`);
    return FAILURE_EXIT;
  }
  if (isFsError(e)) {
    const typed = userPathOfWrongKind(e, argv);
    write(`anira: ${describeFsError(e, typed ?? e.path)}\n`);
    return typed !== undefined ? USAGE_EXIT : FAILURE_EXIT;
  }
  const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  write(`anira: internal error (a bug in anira: please report it at ${ISSUES_URL} with the command you ran and this output)\n${detail}\n`);
  return FAILURE_EXIT;
}

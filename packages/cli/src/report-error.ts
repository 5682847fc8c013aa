/**
 * The CLI's error policy: how an error that escapes a command is printed and which
 * exit code it gets. Classified by type alone, never by constructor or message text.
 *
 *   AniraInputError (any copy), InvalidArgumentError   `anira: <message>`, exit 2
 *   RunFailure                                         `anira: <message>`, exit 1
 *   disk full, quota, read-only file system            `anira: cannot write <path>: disk full`, exit 1
 *   anything else (TypeError, ENOENT, a tfjs assert)   a bug: the stack and a request to report it, exit 1
 *
 * A file-system error on a path the user gave is caught where that path is known
 * and rethrown as an input error naming it (`pathError` of `@anira/tasks/errors`).
 */
import { InvalidArgumentError } from 'commander';
import { AniraInputError } from '@anira/tasks/errors';
import { FAILURE_EXIT, RunFailure, USAGE_EXIT } from './errors.js';

/** Where bugs are reported. */
export const ISSUES_URL = 'https://github.com/anira-ts/anira/issues';

/** Node file-system errors of the environment (not of a path the user gave), described in words rather than as bugs. */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
};

type FsError = NodeJS.ErrnoException & { code: string; dest?: string };

/** Is `e` one of the described Node file-system errors? */
export function isFsError(e: unknown): e is FsError {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && Object.hasOwn(FS_REASONS, (e as NodeJS.ErrnoException).code!);
}

/** One line describing a file-system error, e.g. `cannot write runs/x/metrics.jsonl: disk full`. */
export function describeFsError(e: FsError, path = e.path): string {
  const where = path ?? e.dest;
  return `cannot write${where !== undefined ? ` ${where}` : ''}: ${FS_REASONS[e.code]!}`;
}

/** Print `e` the way the CLI reports it and return the exit code. */
export function reportError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (AniraInputError.isInstance(e) || e instanceof InvalidArgumentError) {
    write(`anira: ${e.message}\n`);
    return USAGE_EXIT;
  }
  if (e instanceof RunFailure) {
    write(`anira: ${e.message}\n`);
    return FAILURE_EXIT;
  }
  if (isFsError(e)) {
    write(`anira: ${describeFsError(e)}\n`);
    return FAILURE_EXIT;
  }
  const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  write(`anira: internal error (a bug in anira: please report it at ${ISSUES_URL} with the command you ran and this output)\n${detail}\n`);
  return FAILURE_EXIT;
}

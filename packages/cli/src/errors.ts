/**
 * CLI error types. The CLI classifies an error by its type alone (report-error.ts):
 * an `AniraInputError` from any library (or this `UsageError`, one of them) is the
 * user's to fix; a `RunFailure` is a run that could not finish for a reason outside
 * the input; anything else is a bug.
 */
import { AniraInputError, type AniraInputErrorOptions } from '@anira/tasks/errors';

/** The user's mistake in a flag, an argument or a file: one line, exit code 2. */
export class UsageError extends AniraInputError {
  constructor(message: string, options: AniraInputErrorOptions = {}) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Exit code for usage errors. */
export const USAGE_EXIT = 2;

/**
 * A run could not finish for a reason outside the user's input (non-finite loss, disk
 * full, a lock held by another process...): printed as one line, exit code 1, no stack.
 */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
}

/** Exit code for run failures. */
export const FAILURE_EXIT = 1;

/**
 * Run `fn`; an input error it throws is rethrown with its message prefixed by `where`
 * (the file or run folder it was about, e.g. `runs/x: spearman: need ...`). Any other
 * error, a bug, propagates unchanged with its stack.
 */
export async function inputErrorsIn<T>(where: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw prefixed(where, e);
  }
}

/** `e` with `where: ` before its message when it is an input error; else `e` unchanged. */
export function prefixed(where: string, e: unknown): unknown {
  if (!AniraInputError.isInstance(e)) return e;
  return new UsageError(`${where}: ${e.message}`, { code: e.code, ...(e.field !== undefined ? { field: e.field } : {}), cause: e });
}

/**
 * CLI error types. A `UsageError` is the user's mistake (bad flag, bad value, bad
 * file): printed as one line, exit code 2, no stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit code for usage errors. */
export const USAGE_EXIT = 2;

/**
 * Run `fn`, turning any error it throws into a `UsageError` with the same message
 * (library validation errors are already one line naming the field and range).
 */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
}

/**
 * A run could not finish for a reason outside the user's input (non-finite loss, disk
 * full, a lock held by another process...): printed as one line, exit code 1, no stack.
 */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
}

/** Exit code for run failures. */
export const FAILURE_EXIT = 1;

/**
 * CLI error types. A `UsageError` is the user's mistake (bad flag, bad value, bad
 * file): printed as one line, exit code 2, no stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit code for usage errors. */
export const USAGE_EXIT = 2;

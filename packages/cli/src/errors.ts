/**
 * CLI error types. A `UsageError` is the user's mistake (bad flag, bad value, bad
 * file): printed as one line, exit code 2, no stack trace.
 */
import { InvalidArgumentError } from 'commander';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit code for usage errors. */
export const USAGE_EXIT = 2;

/**
 * Is `e` a validation error, the user's mistake rather than a bug? `UsageError`,
 * commander's `InvalidArgumentError`, and errors whose constructor is exactly `Error`
 * (the libraries' validation errors are plain one-line `new Error(...)`s). A
 * `TypeError`, `RangeError`, `ReferenceError`... is a bug and is not one.
 */
export function isValidationError(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof InvalidArgumentError || (e instanceof Error && e.constructor === Error);
}

/**
 * Run `fn`, turning a validation error it throws into a `UsageError` with the same
 * message (library validation errors are already one line naming the field and
 * range). Anything else (a bug) propagates unchanged, with its stack.
 */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof UsageError || !isValidationError(e)) throw e;
    throw new UsageError(e.message);
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

/**
 * Like `asUsage`, but the usage error's message is prefixed with `where` (the file or
 * run folder the failing analysis was reading), e.g. `runs/x: spearman: need ...`.
 */
export async function asUsageIn<T>(where: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UsageError || !isValidationError(e)) throw e;
    throw new UsageError(`${where}: ${e.message}`);
  }
}

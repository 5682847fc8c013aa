/**
 * The input-error type of every anira library (entry `@anira/tasks/errors`, imported
 * by the other packages and re-exported from their roots). An `AniraInputError` is
 * the caller's to fix: a config field, a task param, a policy option, a file. Any
 * other error a library throws is a bug. The class carries a global symbol marker so
 * that `AniraInputError.isInstance(e)` is true across duplicate copies of the package
 * (ESM and CJS builds, two installed versions), where `instanceof` is not.
 */

const MARKER = Symbol.for('@anira/input-error');

/** What kind of input was wrong, for programs that branch on it. */
export type AniraInputErrorCode =
  /** A value outside its allowed range or of the wrong type (a param, an option, a flag). */
  | 'invalid-argument'
  /** A name that is not registered (a task, a policy, an option, a param). */
  | 'unknown-name'
  /** A file whose content is not what it must be (a checkpoint, a trace, a config). */
  | 'invalid-file'
  /** A file or folder the caller named that cannot be used (missing, wrong kind). */
  | 'bad-path'
  /** Data too small or degenerate for the requested analysis. */
  | 'insufficient-data'
  /** A call made out of order (an object used before it was set up, after dispose). */
  | 'invalid-state'
  /** An optional dependency that the call needs is not installed. */
  | 'missing-dependency';

/** Options of `AniraInputError`. */
export interface AniraInputErrorOptions {
  /** Defaults to `'invalid-argument'`. */
  readonly code?: AniraInputErrorCode;
  /** The field, option, flag or path the message is about. */
  readonly field?: string;
  /** The offending value. */
  readonly value?: unknown;
  /** The underlying error (for example a file-system error). */
  readonly cause?: unknown;
}

/**
 * An error the caller can fix by changing the input. The message is one line that
 * names the field and the allowed range, e.g. `dyck: param "length" must be an even
 * integer in [2, 64], got 3`.
 */
export class AniraInputError extends Error {
  override name = 'AniraInputError';
  /** What kind of input was wrong. */
  readonly code: AniraInputErrorCode;
  /** The field, option, flag or path the message is about, when known. */
  readonly field: string | undefined;
  /** The offending value, when known. */
  readonly value: unknown;

  constructor(message: string, options: AniraInputErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'invalid-argument';
    this.field = options.field;
    this.value = options.value;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** Is `e` an input error from any copy of the anira libraries? */
  static isInstance(e: unknown): e is AniraInputError {
    return typeof e === 'object' && e !== null && (e as { [MARKER]?: unknown })[MARKER] === true;
  }
}

/** Node file-system error codes that mean the caller named an unusable path, in words. */
const PATH_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'a file already exists there',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * What to throw when a file-system call on a path the caller gave failed: an
 * `AniraInputError` naming the path when the path itself is unusable (missing, a
 * folder for a file, no permission...), else `e` unchanged (disk full, I/O error
 * and bugs are not the caller's input). Use as `catch (e) { throw pathError(p, e) }`.
 */
export function pathError(path: string, e: unknown, action = 'read'): unknown {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !Object.hasOwn(PATH_REASONS, code)) return e;
  return new AniraInputError(`cannot ${action} ${path}: ${PATH_REASONS[code]}`, { code: 'bad-path', field: path, cause: e });
}

/**
 * Parsers for CLI flag values. Each throws a one-line `UsageError` naming the flag
 * and what is allowed.
 */
import { InvalidArgumentError } from 'commander';

/** Parse an integer flag within [min, max]. */
export function intIn(flag: string, min: number, max: number) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(`${flag} must be an integer in [${min}, ${max}], got "${raw}"`);
    }
    return v;
  };
}

/** Parse a number flag within [min, max]. */
export function numberIn(flag: string, min: number, max: number) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
      throw new InvalidArgumentError(`${flag} must be a number in [${min}, ${max}], got "${raw}"`);
    }
    return v;
  };
}

/** Parse one of a fixed set of choices. */
export function oneOf<T extends string>(flag: string, choices: readonly T[]) {
  return (raw: string): T => {
    if (!(choices as readonly string[]).includes(raw)) {
      throw new InvalidArgumentError(`${flag} must be one of ${choices.join('|')}, got "${raw}"`);
    }
    return raw as T;
  };
}

/** Collect repeated `key=value` flags into a record (values kept as strings). */
export function keyValue(flag: string) {
  return (raw: string, previous: Record<string, string> = {}): Record<string, string> => {
    const eq = raw.indexOf('=');
    if (eq <= 0 || eq === raw.length - 1) {
      throw new InvalidArgumentError(`${flag} expects key=value, got "${raw}"`);
    }
    return { ...previous, [raw.slice(0, eq).trim()]: raw.slice(eq + 1).trim() };
  };
}

/** Parse a comma-separated list of integers, e.g. "3,4,6". */
export function intList(flag: string, min: number, max: number) {
  const one = intIn(flag, min, max);
  return (raw: string): number[] => raw.split(',').map((s) => one(s.trim()));
}

/** A task param value: a number, or a string the task validates (choice params such as `order=msd`). */
export type ParamValue = number | string;

/**
 * Turn `key=value` strings into task param values: a finite number stays a number;
 * anything else (`abc`, `NaN`, `1e400`, `msd`) is passed through as the string typed,
 * for the task to accept as a choice or reject naming the param and its range.
 * Keys must be names (`3=4` is refused here, naming the flag).
 */
export function numericRecord(flag: string, raw: Readonly<Record<string, string>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new InvalidArgumentError(`${flag} ${k}=${v}: "${k}" is not a param name (see \`anira tasks list\`)`);
    const n = Number(v);
    out[k] = v.trim() !== '' && Number.isFinite(n) ? n : v;
  }
  return out;
}

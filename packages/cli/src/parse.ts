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

/** Turn `key=value` strings into numbers, naming the flag on failure. */
export function numericRecord(flag: string, raw: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} ${k} must be a number, got "${v}"`);
    out[k] = n;
  }
  return out;
}

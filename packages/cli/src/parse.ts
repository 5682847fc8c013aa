/**
 * Parsers for CLI flag values. Each throws a one-line `UsageError` naming the flag
 * and what is allowed.
 */
import { InvalidArgumentError } from 'commander';
import { getTask, type Task } from '@anira/tasks';

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

/**
 * Collect repeated `--feature-set "name=a,b,c"` flags into named decision-timing feature
 * sets (dropped and fitted together; whether each feature exists is checked per trace).
 */
export function featureSet(flag: string) {
  return (raw: string, previous: Record<string, string[]> = {}): Record<string, string[]> => {
    const eq = raw.indexOf('=');
    const name = eq > 0 ? raw.slice(0, eq).trim() : '';
    const features = eq > 0 ? raw.slice(eq + 1).split(',').map((x) => x.trim()) : [];
    if (name === '' || features.length === 0 || features.some((x) => !/^[A-Za-z_][\w:.-]*$/.test(x))) {
      throw new InvalidArgumentError(`${flag} expects name=feature,feature (feature names of letters, digits, _ : . -), got "${raw}"`);
    }
    if (name in previous) throw new InvalidArgumentError(`${flag}: set "${name}" is given twice`);
    return { ...previous, [name]: features };
  };
}

/** Parse a comma-separated list of integers, e.g. "3,4,6". */
export function intList(flag: string, min: number, max: number) {
  const one = intIn(flag, min, max);
  return (raw: string): number[] => raw.split(',').map((s) => one(s.trim()));
}

/** A task param value: a number, or a string the task validates (choice params such as `order=msd`). */
export type ParamValue = number | string;

/** Plain decimal integer text (`16`, `-2`); not `0x10`, `1e0` or `16.0`. */
const INTEGER_TEXT = /^[+-]?\d+$/;
/** Plain decimal number text (`0.5`, `.5`, `1e-3`); not hex, `Infinity` or blanks. */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Turn `key=value` strings into task param values, strictly when the task is known
 * (`taskName` names a registered task): an integer knob takes plain decimal integer
 * text only (`digits=0x10`, `order=1e0`, `digits=16.0` are refused with one line naming
 * the param and its range), a real knob plain decimal text, a choice knob a choice name
 * or an integer index. Otherwise (unknown task or param) a finite plain number becomes a
 * number and anything else stays the string typed, for the task to reject naming the
 * param. Keys must be names (`3=4` is refused here, naming the flag).
 */
export function numericRecord(flag: string, raw: Readonly<Record<string, string>>, taskName?: string): Record<string, ParamValue> {
  let task: Task | undefined;
  try {
    task = taskName === undefined ? undefined : getTask(taskName);
  } catch {
    task = undefined; // an unknown task is reported by the task lookup itself
  }
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new InvalidArgumentError(`${flag} ${k}=${v}: "${k}" is not a param name (see \`anira tasks list\`)`);
    const spec = task && Object.hasOwn(task.params, k) ? task.params[k] : undefined;
    if (!spec) {
      out[k] = NUMBER_TEXT.test(v) && Number.isFinite(Number(v)) ? Number(v) : v;
      continue;
    }
    if (spec.choices?.includes(v)) {
      out[k] = v;
      continue;
    }
    const text = spec.integer || spec.choices ? INTEGER_TEXT : NUMBER_TEXT;
    const n = Number(v);
    if (!text.test(v) || !Number.isFinite(n) || n < spec.min || n > spec.max) {
      const want = spec.choices
        ? `one of ${spec.choices.join(', ')} (or an index in [0, ${spec.choices.length - 1}])`
        : `${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]${spec.integer ? ', written as plain decimal digits' : ''}`;
      throw new InvalidArgumentError(`${flag} ${k}=${v}: ${task!.name}: param "${k}" must be ${want}, got "${v}"`);
    }
    out[k] = n;
  }
  return out;
}

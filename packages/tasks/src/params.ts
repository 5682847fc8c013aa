/**
 * Param resolution shared by every task: fill defaults, reject unknown keys,
 * non-finite, non-integer and out-of-range values with one-line errors that name
 * the param and its allowed range.
 */
import type { ParamSpec } from './task.js';

/** Formats a number for error messages without float noise. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** The standard bound error, e.g. `addition: param "digits" must be an integer in [1, 20], got 0`. */
export function paramError(task: string, name: string, spec: ParamSpec, got: unknown): Error {
  const kind = spec.integer ? 'an integer' : 'a number';
  return new Error(`${task}: param "${name}" must be ${kind} in [${fmt(spec.min)}, ${fmt(spec.max)}], got ${String(got)}`);
}

/** Fills defaults and validates every declared bound; `check` then validates combinations. */
export function resolveWithSpecs(
  task: string,
  specs: Readonly<Record<string, ParamSpec>>,
  partial: Readonly<Record<string, number>> | undefined,
  check?: (p: Readonly<Record<string, number>>) => void,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (partial) {
    for (const key of Object.keys(partial)) {
      if (!Object.hasOwn(specs, key)) {
        throw new Error(`${task}: unknown param "${key}"; valid params are ${Object.keys(specs).join(', ')}`);
      }
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const raw = partial?.[name];
    const value = raw === undefined ? spec.default : raw;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max ||
      (spec.integer && !Number.isInteger(value))) {
      throw paramError(task, name, spec, value);
    }
    out[name] = value;
  }
  check?.(out);
  return out;
}

/** Reads a resolved param, failing loudly if a caller skipped `resolveParams`. */
export function need(params: Readonly<Record<string, number>>, name: string): number {
  const v = params[name];
  if (v === undefined) throw new Error(`param "${name}" missing: call task.resolveParams first`);
  return v;
}

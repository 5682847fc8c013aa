/**
 * Param resolution shared by every task: fill defaults, reject unknown keys,
 * non-finite, non-integer and out-of-range values with one-line errors that name
 * the param and its allowed range. Choice knobs (`ParamSpec.choices`) accept a choice
 * name or its index and resolve to the index, so resolved params are always numeric.
 */
import { AniraInputError } from './errors.js';
import type { ParamInput, ParamSpec, Task } from './task.js';

/** Formats a number for error messages without float noise. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** Formats a rejected raw value: strings quoted, numbers as written. */
function got(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * The standard bound error, e.g. `addition: param "digits" must be an integer in [1, 20], got 0`;
 * for a choice knob `addition: param "order" must be one of lsd, msd, got "x"` (numbers
 * also name the index range).
 */
export function paramError(task: string, name: string, spec: ParamSpec, value: unknown): AniraInputError {
  if (spec.choices) {
    const idx = typeof value === 'string' ? '' : ` (or an index in [0, ${spec.choices.length - 1}])`;
    return new AniraInputError(`${task}: param "${name}" must be one of ${spec.choices.join(', ')}${idx}, got ${got(value)}`, { field: name, value });
  }
  const kind = spec.integer ? 'an integer' : 'a number';
  return new AniraInputError(`${task}: param "${name}" must be ${kind} in [${fmt(spec.min)}, ${fmt(spec.max)}], got ${got(value)}`, { field: name, value });
}

/** The resolved numeric value of one knob, or throws `paramError`. */
function resolveOne(task: string, name: string, spec: ParamSpec, raw: number | string | undefined): number {
  let value: unknown = raw === undefined ? spec.default : raw;
  if (typeof value === 'string' && spec.choices) {
    const i = spec.choices.indexOf(value);
    if (i < 0) throw paramError(task, name, spec, value);
    value = i;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max ||
    (spec.integer && !Number.isInteger(value))) {
    throw paramError(task, name, spec, value);
  }
  return value;
}

/** Fills defaults and validates every declared bound; `check` then validates combinations. */
export function resolveWithSpecs(
  task: string,
  specs: Readonly<Record<string, ParamSpec>>,
  partial: ParamInput | undefined,
  check?: (p: Readonly<Record<string, number>>) => void,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (partial) {
    for (const key of Object.keys(partial)) {
      if (!Object.hasOwn(specs, key)) {
        throw new AniraInputError(`${task}: unknown param "${key}"; valid params are ${Object.keys(specs).join(', ')}`, { code: 'unknown-name' });
      }
    }
  }
  for (const [name, spec] of Object.entries(specs)) out[name] = resolveOne(task, name, spec, partial?.[name]);
  check?.(out);
  return out;
}

/** Reads a resolved param, failing loudly if a caller skipped `resolveParams`. */
export function need(params: Readonly<Record<string, number>>, name: string): number {
  const v = params[name];
  if (v === undefined) throw new AniraInputError(`param "${name}" missing: call task.resolveParams first`, { code: 'invalid-state' });
  return v;
}

/**
 * A resolved param value for display: the choice name for a choice knob (`order` 1 ->
 * `msd`), else the number as text. Throws a one-line error for an unknown param or an
 * index outside the choices.
 */
export function paramChoiceName(task: Task, name: string, value: number): string {
  const spec = task.params[name];
  if (!spec) throw new AniraInputError(`${task.name}: unknown param "${name}"; valid params are ${Object.keys(task.params).join(', ')}`, { code: 'unknown-name' });
  if (!spec.choices) return fmt(value);
  const choice = Number.isInteger(value) ? spec.choices[value] : undefined;
  if (choice === undefined) throw paramError(task.name, name, spec, value);
  return choice;
}

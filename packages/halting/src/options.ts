/**
 * Option parsing and validation for policy definitions: CLI strings or typed values
 * in, a complete option record (defaults applied) out. Errors are one line and name
 * the policy, the option and the allowed range or choices.
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { PolicyDefinition, PolicyOptionSpec } from './spec.js';

export type RawOptionValue = string | number | boolean;
export type ResolvedOptions = Record<string, number | boolean | string>;

function allowed(spec: PolicyOptionSpec): string {
  if (spec.type === 'boolean') return 'true or false';
  if (spec.type === 'string') return spec.choices ? `one of ${spec.choices.join(', ')}` : 'a string';
  const kind = spec.type === 'integer' ? 'an integer' : 'a number';
  const lo = spec.min ?? -Infinity;
  const hi = spec.max ?? Infinity;
  return `${kind} in [${lo}, ${hi}]`;
}

function parseOne(policy: string, spec: PolicyOptionSpec, raw: unknown): number | boolean | string {
  const fail = (): never => {
    throw new AniraInputError(`${policy}: option "${spec.name}" must be ${allowed(spec)}, got ${JSON.stringify(raw)}`);
  };
  if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1' || raw === 1) return true;
    if (raw === 'false' || raw === '0' || raw === 0) return false;
    return fail();
  }
  if (spec.type === 'string') {
    if (typeof raw !== 'string') return fail();
    if (spec.choices && !spec.choices.includes(raw)) return fail();
    return raw;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return fail();
  if (spec.type === 'integer' && !Number.isInteger(n)) return fail();
  if (spec.min !== undefined && n < spec.min) return fail();
  if (spec.max !== undefined && n > spec.max) return fail();
  return n;
}

/** Parse and validate `raw` against the definition's options, applying defaults. */
export function resolvePolicyOptions(
  definition: Pick<PolicyDefinition, 'name' | 'options'>,
  raw: Readonly<Record<string, unknown>> = {},
): ResolvedOptions {
  const known = new Map(definition.options.map((o) => [o.name, o]));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      const names = definition.options.map((o) => o.name).join(', ') || '(none)';
      throw new AniraInputError(`${definition.name}: unknown option "${key}" (options: ${names})`, { code: 'unknown-name' });
    }
  }
  const out: ResolvedOptions = {};
  for (const spec of definition.options) {
    const v = raw[spec.name];
    out[spec.name] = v === undefined ? spec.default : parseOne(definition.name, spec, v);
  }
  return out;
}

/**
 * The registry of built-in policy definitions, and validation of user-supplied
 * ones (`assertPolicyDefinition`), with one-line errors.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { resolvePolicyOptions, type RawOptionValue } from './options.js';
import { actPolicy } from './policies/act.js';
import { aniraEPolicy } from './policies/anira-e.js';
import { aniraEHazardPolicy } from './policies/anira-e-hazard.js';
import { aniraOPolicy } from './policies/anira-o.js';
import { capacityPolicy } from './policies/capacity.js';
import { convergePolicy } from './policies/converge.js';
import { fixedPolicy } from './policies/fixed.js';
import { ponderNetPolicy } from './policies/pondernet.js';
import { HALTING_SPEC_VERSION, type HaltingPolicy, type PolicyDefinition, type PolicyDims } from './spec.js';

const builtins: readonly PolicyDefinition[] = [
  fixedPolicy, actPolicy, ponderNetPolicy, aniraOPolicy, aniraEPolicy, aniraEHazardPolicy, convergePolicy, capacityPolicy,
] as unknown as readonly PolicyDefinition[];

/** Every built-in policy definition, in a stable order. */
export function listPolicyDefinitions(): readonly PolicyDefinition[] {
  return builtins;
}

/** The built-in definition named `name`; throws a one-line error listing the names. */
export function getPolicyDefinition(name: string): PolicyDefinition {
  const def = builtins.find((d) => d.name === name);
  if (!def) throw new AniraInputError(`unknown halting policy "${name}" (available: ${builtins.map((d) => d.name).join(', ')})`, { code: 'unknown-name' });
  return def;
}

/** Validates a user module's export as a v1 `PolicyDefinition`. `source` names it in errors. */
export function assertPolicyDefinition(value: unknown, source: string): asserts value is PolicyDefinition {
  if (typeof value !== 'object' || value === null) {
    throw new AniraInputError(`${source}: a policy definition must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  const v = value as Record<string, unknown>;
  if (v['specificationVersion'] !== HALTING_SPEC_VERSION) {
    throw new AniraInputError(`${source}: policy specificationVersion ${JSON.stringify(v['specificationVersion'])} is not supported (supported: ${HALTING_SPEC_VERSION})`);
  }
  if (typeof v['name'] !== 'string' || v['name'] === '') throw new AniraInputError(`${source}: policy "name" must be a non-empty string`);
  if (typeof v['create'] !== 'function') throw new AniraInputError(`${source}: policy "${v['name']}" must have a create(dims, options) function`);
  if (v['description'] !== undefined && typeof v['description'] !== 'string') {
    throw new AniraInputError(`${source}: policy "${v['name']}" description must be a string`);
  }
  const options = v['options'];
  if (!Array.isArray(options)) throw new AniraInputError(`${source}: policy "${v['name']}" must have an "options" array`);
  options.forEach((o: unknown, i) => {
    const spec = o as Record<string, unknown> | null;
    const types = ['number', 'integer', 'boolean', 'string'];
    if (!spec || typeof spec['name'] !== 'string' || !types.includes(spec['type'] as string)) {
      throw new AniraInputError(`${source}: policy "${v['name']}" options[${i}] must have a "name" and a "type" in ${types.join(', ')}`);
    }
  });
}

/** Create a built-in policy by name from raw (e.g. CLI) options. */
export function createPolicy(name: string, dims: PolicyDims, rawOptions: Record<string, RawOptionValue> = {}): HaltingPolicy {
  const def = getPolicyDefinition(name);
  return def.create(dims, resolvePolicyOptions(def, rawOptions));
}

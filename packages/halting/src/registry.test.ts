/** Registry lookups, option parsing/validation errors and user-definition checks. */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicyOptions } from './options.js';
import { assertPolicyDefinition, createPolicy, getPolicyDefinition, listPolicyDefinitions } from './registry.js';
import { useCpu } from './test-setup.js';

beforeAll(useCpu);

const dims = { dModel: 4, vocabSize: 3, tMax: 4, seed: 0 };

describe('registry', () => {
  it('lists every built-in policy with documented options', () => {
    const names = listPolicyDefinitions().map((d) => d.name);
    expect(names).toEqual(['fixed', 'act', 'pondernet', 'anira-o', 'anira-e', 'anira-e-hazard', 'converge', 'capacity']);
    for (const d of listPolicyDefinitions()) {
      expect(d.specificationVersion).toBe('v1');
      for (const o of d.options) {
        expect(o.description.length).toBeGreaterThan(0);
        // every default passes its own validation
        expect(resolvePolicyOptions(d, { [o.name]: o.default })[o.name]).toBe(o.default);
      }
    }
  });

  it('unknown names give a one-line error listing the names', () => {
    expect(() => getPolicyDefinition('nope')).toThrow('unknown halting policy "nope" (available: fixed, act, pondernet, anira-o, anira-e, anira-e-hazard, converge, capacity)');
  });

  it('createPolicy parses CLI strings', () => {
    const p = createPolicy('pondernet', dims, { q: '0.7', inference: 'threshold' });
    expect(p.options['q']).toBe(0.7);
    expect(p.options['inference']).toBe('threshold');
    expect(p.calibration!.get()).toBe(0.7);
    p.dispose();
  });
});

describe('resolvePolicyOptions', () => {
  const def = getPolicyDefinition('anira-e');
  it('applies defaults and parses types', () => {
    const o = resolvePolicyOptions(def, { hidden: '16', gumbel: 'true', beta: '0.5' });
    expect(o).toMatchObject({ hidden: 16, gumbel: true, beta: 0.5, router: 'mlp', decision: 'argmax' });
  });
  it('one-line errors name the option and the allowed range or choices', () => {
    expect(() => resolvePolicyOptions(def, { hidden: '1.5' })).toThrow('anira-e: option "hidden" must be an integer in [1, 4096], got "1.5"');
    expect(() => resolvePolicyOptions(def, { hidden: 0 })).toThrow('anira-e: option "hidden" must be an integer in [1, 4096], got 0');
    expect(() => resolvePolicyOptions(def, { router: 'rnn' })).toThrow('anira-e: option "router" must be one of linear, mlp, got "rnn"');
    expect(() => resolvePolicyOptions(def, { gumbel: 'yes' })).toThrow('anira-e: option "gumbel" must be true or false, got "yes"');
    expect(() => resolvePolicyOptions(def, { beta: 'abc' })).toThrow('anira-e: option "beta" must be a number in [0, 100], got "abc"');
    expect(() => resolvePolicyOptions(def, { bogus: 1 })).toThrow(/^anira-e: unknown option "bogus" \(options: penalty, /);
  });
  it('create() validates programmatic options too', () => {
    expect(() => getPolicyDefinition('act').create(dims, { epsilon: 2 })).toThrow('act: option "epsilon" must be a number in [0.000001, 0.5], got 2');
    expect(() => getPolicyDefinition('act').create({ ...dims, tMax: 0 })).toThrow('act: dims "tMax" must be an integer >= 1, got 0');
  });
});

describe('assertPolicyDefinition', () => {
  const good = { specificationVersion: 'v1', name: 'mine', description: 'x', options: [], create: () => ({}) };
  it('accepts a v1 definition and the built-ins', () => {
    expect(() => assertPolicyDefinition(good, 'my.js')).not.toThrow();
    listPolicyDefinitions().forEach((d) => expect(() => assertPolicyDefinition(d, d.name)).not.toThrow());
  });
  it('rejects other versions and malformed values with clear messages', () => {
    expect(() => assertPolicyDefinition({ ...good, specificationVersion: 'v2' }, 'my.js')).toThrow('my.js: policy specificationVersion "v2" is not supported (supported: v1)');
    expect(() => assertPolicyDefinition(null, 'my.js')).toThrow('my.js: a policy definition must be an object, got null');
    expect(() => assertPolicyDefinition({ ...good, name: '' }, 'my.js')).toThrow(/"name" must be a non-empty string/);
    expect(() => assertPolicyDefinition({ ...good, create: 1 }, 'my.js')).toThrow(/create\(dims, options\) function/);
    expect(() => assertPolicyDefinition({ ...good, options: {} }, 'my.js')).toThrow(/"options" array/);
    expect(() => assertPolicyDefinition({ ...good, options: [{ name: 'a', type: 'float' }] }, 'my.js')).toThrow(/options\[0\]/);
  });
});

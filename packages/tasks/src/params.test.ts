/** Param resolution: choice knobs by name or index, one-line errors, display names. */
import { describe, expect, test } from 'vitest';
import { defineTask } from './define-task.js';
import { paramChoiceName, resolveWithSpecs } from './params.js';
import { addition } from './tasks/addition.js';
import { dyck } from './tasks/dyck.js';

describe('choice params', () => {
  test('a choice resolves to its index, by name or by index', () => {
    expect(addition.resolveParams({ order: 'msd' })).toEqual({ digits: 3, order: 1, balance: 0 });
    expect(addition.resolveParams({ order: 'lsd', digits: 5 })).toEqual({ digits: 5, order: 0, balance: 0 });
    expect(addition.resolveParams({ order: 1 })).toEqual({ digits: 3, order: 1, balance: 0 });
    expect(addition.resolveParams()).toEqual({ digits: 3, order: 0, balance: 0 });
  });

  test('bad choices give one-line errors naming the param and the choices', () => {
    expect(() => addition.resolveParams({ order: 'x' })).toThrow(/^addition: param "order" must be one of lsd, msd, got "x"$/);
    expect(() => addition.resolveParams({ order: 'MSD' })).toThrow('addition: param "order" must be one of lsd, msd, got "MSD"');
    expect(() => addition.resolveParams({ order: 2 })).toThrow('addition: param "order" must be one of lsd, msd (or an index in [0, 1]), got 2');
    expect(() => addition.resolveParams({ order: 0.5 })).toThrow('must be one of lsd, msd (or an index in [0, 1]), got 0.5');
  });

  test('a string for a numeric param is rejected with the numeric range', () => {
    expect(() => addition.resolveParams({ digits: '4' })).toThrow('addition: param "digits" must be an integer in [1, 20], got "4"');
    expect(() => dyck.resolveParams({ length: 'long' })).toThrow('dyck: param "length" must be an integer in [2, 64], got "long"');
  });

  test('resolveWithSpecs accepts names for any choice spec', () => {
    const specs = { mode: { default: 2, min: 0, max: 2, integer: true, choices: ['a', 'b', 'c'], description: 'm' } };
    expect(resolveWithSpecs('t', specs, undefined)).toEqual({ mode: 2 });
    expect(resolveWithSpecs('t', specs, { mode: 'b' })).toEqual({ mode: 1 });
  });

  test('paramChoiceName shows choice names and numbers', () => {
    expect(paramChoiceName(addition, 'order', 1)).toBe('msd');
    expect(paramChoiceName(addition, 'order', 0)).toBe('lsd');
    expect(paramChoiceName(addition, 'digits', 7)).toBe('7');
    expect(() => paramChoiceName(addition, 'order', 3)).toThrow('addition: param "order" must be one of lsd, msd (or an index in [0, 1]), got 3');
    expect(() => paramChoiceName(addition, 'nope', 0)).toThrow('addition: unknown param "nope"; valid params are digits, order, balance');
  });

  test('defineTask rejects a choice spec whose bounds do not match its choices', () => {
    expect(() => defineTask({
      name: 'bad', description: '', sizeParam: 'n', sizeDescription: '', tokens: ['x'], features: [],
      params: {
        n: { default: 1, min: 1, max: 2, integer: true, description: '' },
        mode: { default: 0, min: 0, max: 2, integer: true, choices: ['a', 'b'], description: '' },
      },
      difficultyRange: () => [0, 0], maxLength: () => 1, generate: () => undefined,
    })).toThrow('bad: choice param "mode" must declare min 0, max 1 and integer true');
  });
});

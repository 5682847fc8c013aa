/** AniraInputError: the marker works across module copies, and pathError's mapping. */
import { describe, expect, it, vi } from 'vitest';
import { AniraInputError, pathError } from './errors.js';

describe('AniraInputError', () => {
  it('isInstance is true for an error from another copy of the module, where instanceof is not', async () => {
    vi.resetModules();
    const specifier = './errors.js?copy'; // a query makes the module loader evaluate a second copy
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import('./errors.js');
    expect(copy.AniraInputError).not.toBe(AniraInputError);
    const foreign = new copy.AniraInputError('x: "y" must be > 0, got -1', { code: 'invalid-argument', field: 'y', value: -1 });
    expect(foreign instanceof AniraInputError).toBe(false);
    expect(AniraInputError.isInstance(foreign)).toBe(true);
    expect(copy.AniraInputError.isInstance(new AniraInputError('z'))).toBe(true);
    expect(foreign.field).toBe('y');
    expect(foreign.value).toBe(-1);
  });

  it('plain errors, look-alikes and non-objects are not input errors', () => {
    const lookAlike = Object.assign(new Error('m'), { name: 'AniraInputError', code: 'invalid-argument' });
    for (const v of [new Error('m'), new TypeError('t'), lookAlike, 'AniraInputError', null, undefined, 3, {}]) {
      expect(AniraInputError.isInstance(v)).toBe(false);
    }
  });

  it('defaults: code invalid-argument, name AniraInputError, cause kept', () => {
    const cause = new Error('inner');
    const e = new AniraInputError('m', { cause });
    expect([e.code, e.name, e.message, e.cause, e.field]).toEqual(['invalid-argument', 'AniraInputError', 'm', cause, undefined]);
  });
});

describe('pathError', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: x`), { code });

  it('an unusable path becomes an input error naming the path and the reason', () => {
    const e = pathError('runs/x/config.json', errno('ENOENT'));
    expect(AniraInputError.isInstance(e)).toBe(true);
    expect((e as AniraInputError).message).toBe('cannot read runs/x/config.json: no such file or folder');
    expect((e as AniraInputError).code).toBe('bad-path');
    expect((pathError('d', errno('EISDIR'), 'open') as Error).message).toBe('cannot open d: it is a folder, not a file');
  });

  it('disk full, I/O errors and non-errno errors pass through unchanged', () => {
    for (const e of [errno('ENOSPC'), errno('EIO'), new TypeError('t'), 'x']) expect(pathError('p', e)).toBe(e);
  });
});

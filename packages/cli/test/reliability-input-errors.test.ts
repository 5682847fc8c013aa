/**
 * The CLI's error policy (report-error.ts, errors.ts), by type alone: input errors
 * are the user's (exit 2), run failures and a full or read-only disk are one line in
 * words (exit 1), and anything else is a bug (exit 1, the stack and a request to
 * report it).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { AniraInputError, pathError } from '@anira/tasks/errors';
import { inputErrorsIn, RunFailure, UsageError } from '../src/errors.js';
import { describeFsError, isFsError, reportError } from '../src/report-error.js';

const fsError = (code: string, syscall: string, path?: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: something, ${syscall}${path ? ` '${path}'` : ''}`), { code, syscall, ...(path !== undefined ? { path } : {}) });

function report(e: unknown) {
  let text = '';
  const code = reportError(e, (s) => (text += s));
  return { code, text };
}

describe('inputErrorsIn: only input errors get the prefix', () => {
  it('an AniraInputError from a library is prefixed with where and stays an input error', async () => {
    const e = await inputErrorsIn('runs/x', () => {
      throw new AniraInputError('spearman: need at least 3 pairs, got 2', { code: 'insufficient-data' });
    }).catch((x: unknown) => x);
    expect(AniraInputError.isInstance(e)).toBe(true);
    expect((e as Error).message).toBe('runs/x: spearman: need at least 3 pairs, got 2');
    expect((e as AniraInputError).code).toBe('insufficient-data');
  });

  it('TypeError, RangeError, a plain Error (a tfjs assert, ENOENT) and non-Errors stay bugs, unchanged', async () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT', syscall: 'open', path: 'x' });
    for (const bug of [new TypeError("Cannot read properties of undefined (reading 'w')"), new RangeError('Invalid array length'), new Error('Error in matMul: inner shapes (3) and (4) of Tensors with shapes 2,3 and 4,5 must match'), enoent, 'oops']) {
      const caught = await inputErrorsIn('runs/x', () => {
        throw bug;
      }).catch((x: unknown) => x);
      expect(caught).toBe(bug);
      expect(AniraInputError.isInstance(caught)).toBe(false);
    }
  });
});

describe('reportError', () => {
  it('usage errors and InvalidArgumentError: one line, exit 2', () => {
    expect(report(new UsageError('--steps must be an integer'))).toEqual({ code: 2, text: 'anira: --steps must be an integer\n' });
    expect(report(new InvalidArgumentError('--param digits must be a number'))).toEqual({ code: 2, text: 'anira: --param digits must be a number\n' });
  });

  it('run failures: one line, exit 1', () => {
    expect(report(new RunFailure('non-finite loss at update 11'))).toEqual({ code: 1, text: 'anira: non-finite loss at update 11\n' });
  });

  it('usage errors, library input errors and InvalidArgumentError are classified by type alone: exit 2', () => {
    expect(report(new AniraInputError('dyck: param "length" must be an even integer in [2, 64], got 3')).code).toBe(2);
    // a plain Error with the same one-line message is not an input error
    expect(report(new Error('dyck: param "length" must be an even integer in [2, 64], got 3')).code).toBe(1);
  });

  it('file-system errors of the environment: one line naming the path in words, exit 1', () => {
    expect(report(fsError('ENOSPC', 'write', 'runs/x/metrics.jsonl'))).toEqual({ code: 1, text: 'anira: cannot write runs/x/metrics.jsonl: disk full\n' });
    expect(report(fsError('EROFS', 'open', 'runs/x/config.json')).text).toBe('anira: cannot write runs/x/config.json: read-only file system\n');
    expect(report(fsError('EDQUOT', 'write', 'runs/x/a')).text).toBe('anira: cannot write runs/x/a: disk quota exceeded\n');
  });

  it('other file-system errors that escape a command are bugs (the path was not caught where it was known): exit 1 and the stack', () => {
    for (const code of ['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES', 'EIO']) {
      const e = fsError(code, 'open', 'p');
      const r = report(e);
      expect(r.code, code).toBe(1);
      expect(r.text, code).toContain(e.stack!);
    }
  });

  it('pathError turns an unusable path into an input error naming it; other errno errors pass through', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anira-eisdir-'));
    let caught: unknown;
    try {
      readFileSync(dir);
    } catch (e) {
      caught = pathError(dir, e);
    }
    expect(AniraInputError.isInstance(caught)).toBe(true);
    expect(report(caught)).toEqual({ code: 2, text: `anira: cannot read ${dir}: it is a folder, not a file\n` });
    const full = fsError('ENOSPC', 'write', 'x');
    expect(pathError('x', full)).toBe(full);
  });

  it('anything else is a bug: exit 1, the stack and a line asking to report it', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'dModel')");
    const r = report(bug);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^anira: internal error \(a bug in anira: please report it at https:\/\/github\.com\/anira-ts\/anira\/issues/);
    expect(r.text).toContain(bug.stack!);
    // an Error whose code is not a described fs code is a bug too
    expect(report(Object.assign(new Error('x'), { code: 'ERR_SOMETHING' })).code).toBe(1);
    expect(isFsError(Object.assign(new Error('x'), { code: 'ERR_SOMETHING' }))).toBe(false);
  });

  it('describeFsError names the destination when there is no path', () => {
    const e = Object.assign(new Error('x'), { code: 'ENOSPC', syscall: 'rename', dest: 'runs/a/b' }) as NodeJS.ErrnoException & { code: string };
    expect(describeFsError(e)).toBe('cannot write runs/a/b: disk full');
  });
});

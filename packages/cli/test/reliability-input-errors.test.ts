/**
 * The CLI's error policy (report-error.ts, errors.ts): which errors are the user's
 * (exit 2), which are run failures or file-system errors (exit 1, one line in words),
 * and which are bugs (exit 1, the stack and a request to report it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { asUsage, isValidationError, RunFailure, UsageError } from '../src/errors.js';
import { describeFsError, isFsError, reportError } from '../src/report-error.js';

const fsError = (code: string, syscall: string, path?: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: something, ${syscall}${path ? ` '${path}'` : ''}`), { code, syscall, ...(path !== undefined ? { path } : {}) });

function report(e: unknown, argv: string[] = []) {
  let text = '';
  const code = reportError(e, argv, (s) => (text += s));
  return { code, text };
}

describe('asUsage: only validation errors become usage errors', () => {
  it('a plain Error (library validation) becomes a UsageError with the same message', () => {
    expect(() => asUsage(() => { throw new Error('addition: param "digits" must be an integer in [1, 20], got 0'); })).toThrow(UsageError);
    expect(() => asUsage(() => { throw new InvalidArgumentError('--param x'); })).toThrow(UsageError);
  });

  it('TypeError, RangeError, ReferenceError and Error subclasses stay bugs, unchanged', () => {
    class CustomBug extends Error {}
    for (const bug of [new TypeError("Cannot read properties of undefined (reading 'w')"), new RangeError('Invalid array length'), new ReferenceError('x is not defined'), new CustomBug('boom')]) {
      let caught: unknown;
      try {
        asUsage(() => { throw bug; });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(bug);
      expect(isValidationError(bug)).toBe(false);
    }
  });

  it('a non-Error throw is not a validation error', () => {
    expect(isValidationError('oops')).toBe(false);
    expect(() => asUsage(() => { throw 'oops'; })).toThrow('oops');
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

  it('file-system errors: one line naming the operation and the path in words, exit 1', () => {
    expect(report(fsError('ENOSPC', 'write', 'runs/x/metrics.jsonl'))).toEqual({ code: 1, text: 'anira: cannot write runs/x/metrics.jsonl: disk full\n' });
    expect(report(fsError('EROFS', 'open', 'runs/x/config.json')).text).toBe('anira: cannot write runs/x/config.json: read-only file system\n');
    expect(report(fsError('EACCES', 'mkdir', '/root/x')).text).toBe('anira: cannot create the folder /root/x: permission denied\n');
    expect(report(fsError('EEXIST', 'mkdir', 'out-file')).text).toBe('anira: cannot create the folder out-file: a file already exists there\n');
    expect(report(fsError('ENAMETOOLONG', 'open', 'x'.repeat(300))).code).toBe(1);
    expect(report(fsError('ELOOP', 'stat', 'loop')).text).toBe('anira: cannot read loop: too many levels of symbolic links\n');
    for (const code of ['ENOSPC', 'EACCES', 'EROFS', 'EEXIST', 'EISDIR', 'ENOTDIR', 'ENOENT', 'ELOOP', 'ENAMETOOLONG']) {
      const r = report(fsError(code, 'open', 'p'));
      expect(r.text.trim().split('\n'), code).toHaveLength(1);
      expect(r.text).not.toMatch(/\bat /);
    }
  });

  it('a path the user typed that is the wrong kind: exit 2', () => {
    // ENOTDIR on an argument (analyze <file>)
    const file = join(mkdtempSync(join(tmpdir(), 'anira-enotdir-')), 'f');
    writeFileSync(file, 'x');
    expect(report(fsError('ENOTDIR', 'scandir', file), ['analyze', file]).code).toBe(2);
    // the same error on a path the user did not type is a failure
    expect(report(fsError('ENOTDIR', 'scandir', file), ['analyze', 'other']).code).toBe(1);
    // readFileSync(<folder>) has no path: the --config value that is a folder is named
    const dir = mkdtempSync(join(tmpdir(), 'anira-eisdir-'));
    const r = report(fsError('EISDIR', 'read'), ['train', '--config', dir]);
    expect(r).toEqual({ code: 2, text: `anira: cannot read ${dir}: it is a folder, not a file\n` });
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
    const e = Object.assign(new Error('x'), { code: 'EACCES', syscall: 'rename', dest: 'runs/a/b' }) as NodeJS.ErrnoException & { code: string };
    expect(describeFsError(e)).toBe('cannot write runs/a/b: permission denied');
  });
});

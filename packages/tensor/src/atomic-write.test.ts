import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeDirectory, tempFilePid, writeFileAtomic } from './atomic-write.js';

it('writes text and bytes, creates folders, replaces whole files and leaves no temp files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anira-atomic-'));
  const f = join(dir, 'a', 'b.txt');
  writeFileAtomic(f, 'hello');
  expect(readFileSync(f, 'utf8')).toBe('hello');
  writeFileSync(f, 'old contents that are longer');
  writeFileAtomic(f, new Uint8Array([104, 105]));
  expect(readFileSync(f, 'utf8')).toBe('hi');
  expect(readdirSync(join(dir, 'a'))).toEqual(['b.txt']);
});

it('names the path when the target cannot be written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anira-atomic-'));
  writeFileSync(join(dir, 'file'), 'x');
  expect(() => writeFileAtomic(join(dir, 'file', 'child.txt'), 'y')).toThrow(/file/);
});

it('keeps the errno code, and fails fast under /proc instead of looping in a recursive mkdir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anira-atomic-'));
  writeFileSync(join(dir, 'file'), 'x');
  expect(() => makeDirectory(join(dir, 'file', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  if (process.platform === 'linux') {
    const started = Date.now();
    expect(() => writeFileAtomic('/proc/anira-x/y.json', '{}')).toThrow(/cannot create folder "\/proc\/anira-x"/);
    expect(Date.now() - started).toBeLessThan(2000);
  }
  makeDirectory(join(dir, 'p', 'q', 'r'));
  makeDirectory(join(dir, 'p', 'q', 'r'));
  expect(readdirSync(join(dir, 'p', 'q'))).toEqual(['r']);
});

it('recognises its own temp file names and their pid', () => {
  expect(tempFilePid('.checkpoint.anira.4242.7.tmp')).toBe(4242);
  expect(tempFilePid('.metrics.jsonl.1.1.tmp')).toBe(1);
  expect(tempFilePid('checkpoint.anira')).toBeUndefined();
  expect(tempFilePid('.x.abc.1.tmp')).toBeUndefined();
});

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

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

/** The main entry must run in browsers: no module it reaches may import `node:` builtins. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

/** Relative-import closure of a source file. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/from '(\.[^']+)\.js'/g)) closure(resolve(dirname(file), `${m[1]}.ts`), seen);
  return seen;
}

describe('browser safety', () => {
  it('index.ts reaches no node: import (node.ts is a separate subpath)', () => {
    const files = [...closure(join(src, 'index.ts'))];
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.endsWith('node.ts'))).toBe(false);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/from 'node:|require\('node:/);
  });
});

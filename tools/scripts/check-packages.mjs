#!/usr/bin/env node
/**
 * Packaging lint: runs publint (strict) and are-the-types-wrong on every public
 * package's packed tarball. Exits non-zero with the tool output on any problem.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const packagesDir = join(root, 'packages');
/** @param {string} name */
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;

for (const dir of readdirSync(packagesDir)) {
  const pkgDir = join(packagesDir, dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const out = mkdtempSync(join(tmpdir(), 'anira-pack-'));
  try {
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: pkgDir, stdio: 'pipe' });
    const packed = readdirSync(out).find((f) => f.endsWith('.tgz'));
    if (!packed) throw new Error(`pnpm pack wrote no tarball for ${pkg.name} in ${out}`);
    const tarball = join(out, packed);
    /** @type {Array<[string, string[]]>} */
    const tools = [
      ['publint', ['--strict', tarball]],
      ['attw', [tarball, '--profile', 'node16', '--format', 'ascii']],
    ];
    for (const [tool, args] of tools) {
      try {
        execFileSync(bin(tool), args, { cwd: pkgDir, stdio: 'pipe' });
        console.log(`ok   ${pkg.name}: ${tool}`);
      } catch (err) {
        failed++;
        const e = /** @type {{ stdout?: Buffer, stderr?: Buffer }} */ (err);
        console.error(`FAIL ${pkg.name}: ${tool}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
if (failed) {
  console.error(`${failed} packaging check(s) failed`);
  process.exit(1);
}

/**
 * Packs every public package with `pnpm pack` (which rewrites `workspace:^` to real
 * version ranges, as publishing does) into one folder, and lists a tarball's files.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.js';
import type { WorkspacePackage } from './workspace.js';

export interface Tarball {
  readonly name: string;
  readonly version: string;
  readonly file: string;
}

/** `pnpm pack` each package into `dest`; returns the tarballs by package name. */
export async function packAll(packages: readonly WorkspacePackage[], dest: string): Promise<Map<string, Tarball>> {
  const out = new Map<string, Tarball>();
  for (const { dir, json } of packages) {
    const before = new Set(readdirSync(dest));
    await run('pnpm', ['pack', '--pack-destination', dest], { cwd: dir });
    const created = readdirSync(dest).filter((f) => f.endsWith('.tgz') && !before.has(f));
    if (created.length !== 1) throw new Error(`pack: expected one tarball for ${json.name}, got [${created.join(', ')}]`);
    out.set(json.name, { name: json.name, version: json.version, file: join(dest, created[0]!) });
  }
  return out;
}

/** Paths inside a tarball, without the leading "package/". */
export async function tarballFiles(file: string): Promise<string[]> {
  const listing = await run('tar', ['-tzf', file], { cwd: process.cwd() });
  return listing.split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
}

/** package.json as packed (dependency ranges after pnpm's rewrite). */
export async function packedPackageJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await run('tar', ['-xzOf', file, 'package/package.json'], { cwd: process.cwd() })) as Record<string, unknown>;
}

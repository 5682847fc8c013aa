/**
 * A fresh consumer project outside the workspace, made as a user makes one: `npm init
 * -y` (which writes `"type": "commonjs"` in current npm), `npm pkg set type=module`
 * (the ESM step each README states first), then dependencies on packed tarballs (plus
 * registry packages a user would add), installed with npm. `overrides` pin the
 * packages' own @anira/* dependencies to the same tarballs, so nothing comes from the
 * registry.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.js';
import type { Tarball } from './pack.js';

export interface ConsumerProject {
  readonly dir: string;
}

/**
 * Create `dir` with the given tarballs and registry dependencies, and `npm install` it.
 * `direct` (default: all) names the tarballs the project depends on; the others only
 * pin transitive @anira/* dependencies (an override), as a user installing one package sees.
 */
export async function createConsumerProject(
  dir: string,
  tarballs: readonly Tarball[],
  registryDeps: Readonly<Record<string, string>> = {},
  direct: readonly string[] = tarballs.map((t) => t.name),
): Promise<ConsumerProject> {
  mkdirSync(dir, { recursive: true });
  const dependencies: Record<string, string> = { ...registryDeps };
  const overrides: Record<string, string> = {};
  for (const t of tarballs) {
    if (direct.includes(t.name)) {
      dependencies[t.name] = `file:${t.file}`;
      overrides[t.name] = `$${t.name}`;
    } else {
      overrides[t.name] = `file:${t.file}`;
    }
  }
  await run('npm', ['init', '-y', '--loglevel=error'], { cwd: dir, timeoutMs: 60_000 });
  await run('npm', ['pkg', 'set', 'type=module'], { cwd: dir, timeoutMs: 60_000 });
  const pkg: Record<string, unknown> = { ...(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>), private: true, dependencies, overrides };
  if (pkg['type'] !== 'module') throw new Error(`${dir}/package.json: npm pkg set type=module left type ${JSON.stringify(pkg['type'])}`);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, timeoutMs: 150_000 });
  return { dir };
}

/** Write `code` to `file` (relative to the project) and run it with plain `node`; resolves to stdout. */
export async function runScript(project: ConsumerProject, file: string, code: string, cwd = project.dir): Promise<string> {
  const path = join(project.dir, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, code);
  return run('node', [path], { cwd, timeoutMs: 120_000 });
}

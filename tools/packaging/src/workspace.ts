/**
 * The workspace as the packaging checks see it: where the repository is, which
 * packages are public, and whether their builds exist. Tests never build (parallel
 * builds race); they fail with a clear message when a dist is missing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The subset of package.json the checks read. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly license?: string;
  readonly repository?: { readonly type: string; readonly url: string; readonly directory?: string };
  readonly engines?: Readonly<Record<string, string>>;
  readonly files?: readonly string[];
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly bin?: Readonly<Record<string, string>>;
}

export interface WorkspacePackage {
  readonly dir: string;
  readonly json: PackageJson;
}

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Every non-private package under packages/, sorted by name. */
export function publicPackages(root = repoRoot): WorkspacePackage[] {
  const base = join(root, 'packages');
  return readdirSync(base)
    .map((d) => join(base, d))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, json: readJson<PackageJson>(join(dir, 'package.json')) }))
    .filter((p) => !p.json.private)
    .sort((a, b) => a.json.name.localeCompare(b.json.name));
}

/** Export subpaths of a package (".", "./testing", ...), without "./package.json". */
export function exportSubpaths(json: PackageJson): string[] {
  return Object.keys(json.exports ?? { '.': null }).filter((k) => k !== './package.json');
}

/** Every file an exports map points at (conditions flattened). */
export function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

/** Throws one message listing every built file the packages' exports and bins need but lack. */
export function assertBuilt(packages: readonly WorkspacePackage[]): void {
  const missing = packages.flatMap(({ dir, json }) =>
    [...exportTargets(json.exports), ...Object.values(json.bin ?? {})]
      .filter((f) => !existsSync(join(dir, f)))
      .map((f) => `${json.name}: ${f}`),
  );
  if (missing.length > 0) {
    throw new Error(`packaging: built files missing (run \`pnpm build\` first; \`pnpm test\` does): ${missing.join(', ')}`);
  }
}

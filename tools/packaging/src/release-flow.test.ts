/**
 * The release flow in a scratch copy of the working tree (never in the real repo):
 * `changeset version` must bump versions as the pending changesets say, patch-bump
 * dependents whose `workspace:^` range the bump leaves, write CHANGELOG.md files, keep
 * internal ranges as `workspace:^`, and consume the changesets. A second scenario
 * with changesets written here pins the dependent-bump rule on known input.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bumpVersion, pendingBumps, satisfiesCaret } from './changesets.js';
import { run } from './run.js';
import { publicPackages, readJson, repoRoot, type PackageJson } from './workspace.js';

const changesetBin = join(repoRoot, 'node_modules', '.bin', 'changeset');
const scratches: string[] = [];

/** Copy the working-tree files git would track (tracked + untracked, not ignored) to a temp folder. */
function copyRepo(): string {
  const dest = mkdtempSync(join(tmpdir(), 'anira-release-'));
  scratches.push(dest);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const f of files.split('\0').filter(Boolean)) {
    if (!existsSync(join(repoRoot, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(join(repoRoot, f), join(dest, f));
  }
  return dest;
}

const versions = (root: string) => new Map(publicPackages(root).map((p) => [p.json.name, p.json] as const));

/** Expected versions: direct bumps, then patch bumps for dependents left out of range, to a fixpoint. */
function expectedVersions(before: Map<string, PackageJson>, bumps: Map<string, string>): Map<string, string> {
  const next = new Map([...before].map(([n, j]) => [n, bumps.has(n) ? bumpVersion(j.version, bumps.get(n) as 'patch') : j.version]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, json] of before) {
      if (next.get(name) !== json.version) continue;
      const leaves = Object.entries(json.dependencies ?? {}).some(
        ([dep, range]) => range.startsWith('workspace:') && next.has(dep) && !satisfiesCaret(next.get(dep)!, before.get(dep)!.version),
      );
      if (leaves) {
        next.set(name, bumpVersion(json.version, 'patch'));
        changed = true;
      }
    }
  }
  return next;
}

function checkVersioned(root: string, before: Map<string, PackageJson>, bumps: Map<string, string>, summaries: Map<string, string>) {
  const after = versions(root);
  const expected = expectedVersions(before, bumps);
  for (const [name, json] of after) {
    expect(json.version, name).toBe(expected.get(name));
    const dir = join(root, 'packages', name.split('/')[1]!);
    const changelog = join(dir, 'CHANGELOG.md');
    if (json.version === before.get(name)!.version) continue;
    expect(existsSync(changelog), `${name}: CHANGELOG.md`).toBe(true);
    const text = readFileSync(changelog, 'utf8');
    expect(text.startsWith(`# ${name}\n\n## ${json.version}\n`), `${name}: CHANGELOG heading`).toBe(true);
    if (summaries.has(name)) expect(text).toContain(summaries.get(name));
    for (const [dep, range] of Object.entries(json.dependencies ?? {})) {
      if (dep.startsWith('@anira/')) expect(range, `${name} -> ${dep}`).toBe(before.get(name)!.dependencies![dep]);
    }
  }
  expect(readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
}

afterAll(() => {
  for (const d of scratches) rmSync(d, { recursive: true, force: true });
});

describe('changeset version in a scratch copy', () => {
  it('applies the pending changesets of the working tree', async () => {
    const root = copyRepo();
    const before = versions(root);
    const bumps = pendingBumps(join(root, '.changeset'));
    for (const name of bumps.keys()) expect(before.has(name) || name.startsWith('@anira/'), `changeset names unknown package ${name}`).toBe(true);
    await run(changesetBin, ['version'], { cwd: root });
    checkVersioned(root, before, bumps, new Map());
  });

  it('bumps a minor, patches the dependents it leaves, and writes the summaries', async () => {
    const root = copyRepo();
    const dir = join(root, '.changeset');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.md'))) rmSync(join(dir, f));
    writeFileSync(join(dir, 'tensor-test.md'), '---\n"@anira/tensor": minor\n---\n\nTensor summary for the release test.\n');
    writeFileSync(join(dir, 'metrics-test.md'), '---\n"@anira/metrics": patch\n---\n\nMetrics summary for the release test.\n');
    const before = versions(root);
    await run(changesetBin, ['version'], { cwd: root });
    const bumps = new Map([['@anira/tensor', 'minor'], ['@anira/metrics', 'patch']]);
    checkVersioned(root, before, bumps, new Map([['@anira/tensor', 'Tensor summary for the release test.'], ['@anira/metrics', 'Metrics summary for the release test.']]));
    // Hand-computed for 0.x: tensor 0.1.0 -> 0.2.0 leaves ^0.1.0, so halting, model and cli (its dependents) get patches;
    // tasks has no changeset and no bumped dependency.
    const after = versions(root);
    const v = (n: string) => after.get(n)!.version;
    const base = (n: string) => before.get(n)!.version;
    expect(v('@anira/tensor')).toBe(bumpVersion(base('@anira/tensor'), 'minor'));
    expect(v('@anira/halting')).toBe(bumpVersion(base('@anira/halting'), 'patch'));
    expect(v('@anira/tasks')).toBe(base('@anira/tasks'));
    expect(v('@anira/model')).toBe(bumpVersion(base('@anira/model'), 'patch'));
    expect(v('@anira/cli')).toBe(bumpVersion(base('@anira/cli'), 'patch'));
    expect(v('@anira/metrics')).toBe(bumpVersion(base('@anira/metrics'), 'patch'));
    // no changelog entry appears for an untouched package
    const tasksLog = (r: string) => (existsSync(join(r, 'packages/tasks/CHANGELOG.md')) ? readFileSync(join(r, 'packages/tasks/CHANGELOG.md'), 'utf8') : '');
    expect(tasksLog(root)).toBe(tasksLog(repoRoot));
    expect(readJson<PackageJson>(join(root, 'packages', 'halting', 'package.json')).dependencies?.['@anira/tensor']).toBe('workspace:^');
  });
});

describe('oracle helpers', () => {
  it('caret ranges on 0.x and 1.x', () => {
    expect(satisfiesCaret('0.1.5', '0.1.0')).toBe(true);
    expect(satisfiesCaret('0.2.0', '0.1.0')).toBe(false);
    expect(satisfiesCaret('1.9.0', '1.0.0')).toBe(true);
    expect(satisfiesCaret('2.0.0', '1.0.0')).toBe(false);
    expect(satisfiesCaret('0.0.2', '0.0.1')).toBe(false);
    expect(bumpVersion('1.2.3', 'major')).toBe('2.0.0');
    expect(bumpVersion('1.2.3', 'minor')).toBe('1.3.0');
    expect(bumpVersion('1.2.3', 'patch')).toBe('1.2.4');
  });
});

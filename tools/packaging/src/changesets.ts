/**
 * Reads changeset files (.changeset/*.md frontmatter: `"@anira/pkg": minor`) and
 * computes the semver bumps `changeset version` must apply, as an independent oracle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Bump = 'major' | 'minor' | 'patch';
const ORDER: readonly Bump[] = ['patch', 'minor', 'major'];

/** Highest bump per package over every changeset in `dir`. */
export function pendingBumps(dir: string): Map<string, Bump> {
  const out = new Map<string, Bump>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const text = readFileSync(join(dir, file), 'utf8');
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!front) throw new Error(`changeset ${file}: missing frontmatter`);
    for (const line of front[1]!.split(/\r?\n/).filter((l) => l.trim())) {
      const m = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
      if (!m) throw new Error(`changeset ${file}: bad frontmatter line "${line}"`);
      const [name, bump] = [m[1]!, m[2] as Bump];
      const prev = out.get(name);
      if (!prev || ORDER.indexOf(bump) > ORDER.indexOf(prev)) out.set(name, bump);
    }
  }
  return out;
}

/** `version` bumped by `bump` (plain x.y.z). */
export function bumpVersion(version: string, bump: Bump): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Whether `version` satisfies caret range `^base` (x.y.z only). */
export function satisfiesCaret(version: string, base: string): boolean {
  const v = version.split('.').map(Number) as [number, number, number];
  const b = base.split('.').map(Number) as [number, number, number];
  const cmp = v[0] - b[0] || v[1] - b[1] || v[2] - b[2];
  if (cmp < 0) return false;
  if (b[0] > 0) return v[0] === b[0];
  if (b[1] > 0) return v[0] === 0 && v[1] === b[1];
  return v[0] === 0 && v[1] === 0 && v[2] === b[2];
}

/**
 * Counts the `!` non-null assertions (TypeScript `NonNullExpression` nodes) in each
 * package's non-test source: `packages/<pkg>/src/**\/*.ts`, without `*.test.ts` and
 * without `test-support/`. The ratchet in non-null.test.ts keeps the counts from
 * growing back; it prints the counts and the biggest files when it runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './workspace.js';

/** The non-test source files of one package directory, sorted. */
export function sourceFiles(pkgDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'test-support' && name !== 'node_modules') walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) {
        out.push(path);
      }
    }
  };
  walk(join(pkgDir, 'src'));
  return out;
}

/** The number of `NonNullExpression` nodes in one TypeScript source text. */
export function countNonNull(fileName: string, text: string): number {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.NonNullExpression) count++;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return count;
}

export interface NonNullCount {
  /** Directory name under packages/ (tasks, metrics, ...). */
  readonly pkg: string;
  readonly total: number;
  /** Per file, relative to the repository root, only files with at least one. */
  readonly files: ReadonlyMap<string, number>;
}

/** Counts per package under `<root>/packages`, sorted by package directory name. */
export function nonNullCounts(root = repoRoot): NonNullCount[] {
  const base = join(root, 'packages');
  return readdirSync(base)
    .sort()
    .filter((d) => {
      try {
        return statSync(join(base, d, 'src')).isDirectory();
      } catch {
        return false;
      }
    })
    .map((pkg) => {
      const files = new Map<string, number>();
      let total = 0;
      for (const file of sourceFiles(join(base, pkg))) {
        const n = countNonNull(file, readFileSync(file, 'utf8'));
        if (n > 0) files.set(relative(root, file), n);
        total += n;
      }
      return { pkg, total, files };
    });
}

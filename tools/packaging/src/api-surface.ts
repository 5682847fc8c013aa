/**
 * The public API surface of the workspace packages, read from their TypeScript
 * entry files with the compiler API (no build needed): for every export subpath,
 * the exported names with their kind (function, class, const, type, interface,
 * enum), and the exported functions and classes that have no TSDoc comment.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { exportSubpaths, publicPackages, repoRoot } from './workspace.js';

/** One export subpath: its specifier, source file and exported names. */
export interface EntrySurface {
  readonly specifier: string;
  readonly file: string;
  /** `name: kind`, sorted by name. */
  readonly lines: readonly string[];
  /** Exported functions and classes without a documentation comment. */
  readonly undocumented: readonly string[];
}

/** Source file of an export subpath: "." is src/index.ts, "./x" is src/x.ts. */
export function entrySource(dir: string, subpath: string): string {
  return join(dir, 'src', subpath === '.' ? 'index.ts' : `${subpath.slice(2)}.ts`);
}

function kindOf(flags: ts.SymbolFlags): string {
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Enum) return 'enum';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  if (flags & ts.SymbolFlags.Interface) return 'interface';
  if (flags & ts.SymbolFlags.TypeAlias) return 'type';
  return 'other';
}

/** The surface of every public package's every export subpath, in package then subpath order. */
export function apiSurfaces(root = repoRoot): EntrySurface[] {
  const entries = publicPackages(root).flatMap(({ dir, json }) =>
    exportSubpaths(json).map((s) => ({ specifier: s === '.' ? json.name : `${json.name}${s.slice(1)}`, file: entrySource(dir, s) })),
  );
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.base.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  const program = ts.createProgram(entries.map((e) => e.file), { ...config!.options, noEmit: true });
  const checker = program.getTypeChecker();
  return entries.map(({ specifier, file }) => {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`api surface: ${specifier}: no source file ${file}`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    const lines: string[] = [];
    const undocumented: string[] = [];
    for (const sym of exports) {
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      const kind = kindOf(target.flags);
      lines.push(`${sym.name}: ${kind}`);
      if ((kind === 'function' || kind === 'class') && target.getDocumentationComment(checker).length === 0) undocumented.push(sym.name);
    }
    lines.sort();
    return { specifier, file, lines, undocumented: undocumented.sort() };
  });
}

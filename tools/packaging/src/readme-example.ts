/**
 * The README example convention: a package README's examples are its fenced ```ts
 * blocks, the first of them after the heading "## Example". Each is a self-contained
 * ES module in TypeScript that compiles under `strict`, `noUncheckedIndexedAccess`
 * and `module: nodenext` (see `STRICT_CONSUMER_OPTIONS`) and runs in a project where
 * the README's install line was run.
 */

/** Compiler options a strict consumer uses; the README examples must compile with them. */
export const STRICT_CONSUMER_OPTIONS = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  module: 'nodenext',
  moduleResolution: 'nodenext',
  target: 'ES2022',
  skipLibCheck: true, // tfjs-core's own .d.ts files fail under TypeScript 7 without it
  outDir: 'out',
} as const;

/** One README code block: its code, and whether it runs (a ```ts no-run block, such as one needing a checkpoint file, is only compiled). */
export interface ReadmeExample {
  readonly code: string;
  readonly run: boolean;
}

/** Every ```ts block of a README, in order (each with a trailing newline). */
export function extractReadmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split(/\r?\n/);
  const out: ReadmeExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(`{3,})(\S*)(.*)$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === fence[1]);
    if (end < 0) break;
    if (fence[2] === 'ts') out.push({ code: `${lines.slice(i + 1, end).join('\n')}\n`, run: !/\bno-run\b/.test(fence[3]!) });
    i = end;
  }
  return out;
}

/** The example code of a README (first ```ts block after "## Example"), or undefined when it does not follow the convention. */
export function extractReadmeExample(markdown: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const heading = lines.findIndex((l) => /^##\s+Example\s*$/.test(l));
  if (heading < 0) return undefined;
  for (let i = heading + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,2}\s/.test(line)) return undefined; // next section without an example
    const fence = /^(`{3,})(\S*)\s*$/.exec(line);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === fence[1]);
    if (end < 0) return undefined;
    if (fence[2] !== 'ts') {
      i = end;
      continue;
    }
    return `${lines.slice(i + 1, end).join('\n')}\n`;
  }
  return undefined;
}

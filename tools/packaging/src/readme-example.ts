/**
 * The README example convention: a package README's example is the first fenced
 * ```js block after the heading "## Example". It must be plain modern ESM
 * JavaScript (which is also valid TypeScript) that runs verbatim in a project where
 * the README's install line was run.
 */

/** The example code of a README, or undefined when it does not follow the convention. */
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
    if (fence[2] !== 'js') {
      i = end;
      continue;
    }
    return `${lines.slice(i + 1, end).join('\n')}\n`;
  }
  return undefined;
}

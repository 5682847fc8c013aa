/**
 * Code blocks that the docs show and the tests run: a block is tagged by an HTML
 * comment `<!-- tested: NAME -->` on the line right before its opening fence, so the
 * tests execute exactly the text a reader copies and the docs cannot drift from it.
 */

/** The body of the fenced block tagged `<!-- tested: name -->`, ending in one newline. */
export function taggedBlock(markdown: string, name: string): string {
  const lines = markdown.split('\n');
  const tag = `<!-- tested: ${name} -->`;
  const at = lines.flatMap((l, i) => (l.trim() === tag ? [i] : []));
  if (at.length !== 1) throw new Error(`${tag}: expected exactly one in the document, found ${at.length}`);
  const open = /^(`{3,})[\w-]*\s*$/.exec(lines[at[0]! + 1] ?? '');
  if (!open) throw new Error(`${tag}: the next line must open a fenced code block`);
  const fence = open[1]!;
  const body: string[] = [];
  for (let i = at[0]! + 2; i < lines.length; i++) {
    if (lines[i]!.trimEnd() === fence) return body.join('\n') + '\n';
    body.push(lines[i]!);
  }
  throw new Error(`${tag}: the fenced block is never closed`);
}

/** Paths of the repository the cluster tests read: the docs and the built CLI. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { taggedBlock } from './fenced-block.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const distributedDoc = fileURLToPath(new URL('../../../docs/distributed.md', import.meta.url));
export const cliBin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

/** The block of docs/distributed.md tagged `<!-- tested: name -->`. */
export const docBlock = (name: string): string => taggedBlock(readFileSync(distributedDoc, 'utf8'), name);

export function assertCliBuilt(): void {
  if (!existsSync(cliBin)) throw new Error(`${cliBin} is missing: run \`pnpm build\` before these tests (\`pnpm test\` does)`);
}

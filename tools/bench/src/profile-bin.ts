/** `pnpm --filter @anira/bench run profile [--backend cpu|wasm]`: per-kernel breakdown of W1 and W2 at full size (see profile.ts). */
import { useBackend } from './backend.js'; // tfjs-core, cpu and wasm first
import '@anira/tensor'; // registers the tfjs gradients
import { parseArgs } from './args.js';
import { formatProfile, profileWorkloads } from './profile.js';
import { benchSizes } from './sizes.js';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2).length ? process.argv.slice(2) : ['--backend', 'wasm']);
  for (const backend of args.backends) {
    await useBackend(backend);
    console.log(`== ${backend}`);
    for (const p of await profileWorkloads(benchSizes())) console.log(formatProfile(p));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

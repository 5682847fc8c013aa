/**
 * `pnpm --filter @anira/bench run seeds [--backend wasm|cpu|webgpu] [--k 4] [--batch 32] [--length 32] [--steps 5] [--warmup 2]`:
 * K seeds of the paper-size model trained stacked against sequentially (see seeds.ts); prints one JSON line per backend.
 */
import { useBackend } from './backend.js'; // tfjs-core, cpu and wasm first
import '@anira/tensor'; // registers the tfjs gradients
import type { BackendName } from './sizes.js';
import { measureSeeds, paperModel } from './seeds.js';

const USAGE = 'usage: seeds [--backend wasm|cpu|webgpu] [--k N] [--batch N] [--length N] [--steps N] [--warmup N]';

function parse(argv: readonly string[]) {
  const o = { backend: 'wasm' as BackendName, k: 4, batch: 32, length: 32, steps: 5, warmup: 2 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--') continue;
    const value = argv[++i];
    if (value === undefined) throw new Error(`seeds: option "${flag}" needs a value; ${USAGE}`);
    if (flag === '--backend') {
      if (!['wasm', 'cpu', 'webgpu'].includes(value)) throw new Error(`seeds: "--backend" must be one of wasm, cpu, webgpu, got "${value}"`);
      o.backend = value as BackendName;
    } else {
      const key = flag.slice(2) as 'k' | 'batch' | 'length' | 'steps' | 'warmup';
      const n = Number(value);
      if (!(key in o) || key === ('backend' as string)) throw new Error(`seeds: unknown option "${flag}"; ${USAGE}`);
      if (!Number.isInteger(n) || n < (key === 'warmup' ? 0 : 1) || n > 4096) throw new Error(`seeds: "${flag}" must be an integer in [${key === 'warmup' ? 0 : 1}, 4096], got "${value}"`);
      o[key] = n;
    }
  }
  return o;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const adapter = await useBackend(o.backend);
  const r = await measureSeeds({ ...o, model: paperModel(o.length) });
  console.log(JSON.stringify({ ...r, ...(adapter ? { adapter } : {}) }));
  console.log(`${r.backend}: ${r.k} seeds, batch ${r.batch} x ${r.length}: sequential ${r.sequentialMsPerUpdate.toFixed(0)} ms, stacked ${r.stackedMsPerUpdate.toFixed(0)} ms per update of all seeds; speed-up ${r.speedup.toFixed(2)}x`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

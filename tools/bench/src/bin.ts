/**
 * `pnpm bench`: runs W1-W4 on the chosen backends against the BUILT packages in
 * plain Node, prints a table per backend and writes the JSON results.
 */
import './backend.js'; // tfjs-core, cpu and wasm first
import '@anira/tensor'; // registers the tfjs gradients (plain Node needs this)
import { fileURLToPath } from 'node:url';
import { machineInfo, versions } from './machine.js';
import { parseArgs } from './args.js';
import { RESULT_FORMAT_VERSION, saveResults, type BackendResult } from './results.js';
import { benchPlan } from './sizes.js';
import { runSuite } from './suite.js';
import { formatTable } from './table.js';
import { formatCounts } from './counts.js';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const date = new Date().toISOString();
  const results: BackendResult[] = [];
  for (const backend of args.backends) {
    const r = await runSuite(backend, benchPlan(backend, args.quick), {
      quick: args.quick,
      onStage: (s) => process.stderr.write(`[bench] ${s}\n`),
    });
    console.log(`\n${formatTable(r)}\n`);
    if (r.deviceWork) console.log(`${formatCounts(r.deviceWork)}\n`);
    results.push(r);
  }
  const dir = args.out ?? fileURLToPath(new URL('../results', import.meta.url));
  const files = saveResults(dir, {
    formatVersion: RESULT_FORMAT_VERSION, date, command: `bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineInfo(), versions: versions(), results,
  });
  console.log(`results: ${files.join(', ')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

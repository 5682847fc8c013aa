/**
 * `pnpm bench`: runs W1-W4 on the chosen backends against the BUILT packages in
 * plain Node, prints a table per backend, then (unless `--quick` or `--torch off`)
 * the PyTorch reference twice and one comparison table with the ratios, and
 * writes the JSON results. With several backends each runs in its own child
 * process, so each peak RSS is its own (the wasm heap never shrinks). Where the
 * machine sets OpenBLAS variables, the native engine runs twice, with them
 * removed and as set, like the PyTorch reference (blas-env.ts).
 */
import './backend.js'; // tfjs-core, cpu and wasm first
import '@anira/tensor'; // registers the tfjs gradients (plain Node needs this)
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineInfo, versions } from './machine.js';
import { parseArgs, type BenchArgs } from './args.js';
import { RESULT_FORMAT_VERSION, saveResults, type BackendResult } from './results.js';
import { benchPlan, type BackendName } from './sizes.js';
import { runSuite } from './suite.js';
import { formatTable } from './table.js';
import { runTorch, torchMissing, type TorchBlasThreads, type TorchResult } from './torch.js';
import { formatCounts } from './counts.js';
import { blasEnvironment, blasEnvLabel, blasVarsSet, type BlasEnv } from './blas-env.js';
import { formatComparison, torchLabel } from './compare.js';

const RESULT = 'RESULT ';
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

/** One backend in a child process (under `env`): its table goes to our stdout, its result comes back. */
function runChild(backend: BackendName, args: BenchArgs, env: NodeJS.ProcessEnv = process.env): BackendResult {
  const argv = [fileURLToPath(import.meta.url), '--backend', backend, '--child', ...(args.quick ? ['--quick'] : [])];
  const r = spawnSync(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (r.status !== 0 || !line) throw new Error(`bench: the ${backend} run failed (exit ${r.status ?? r.signal})`);
  process.stdout.write(r.stdout.split('\n').filter((l) => !l.startsWith(RESULT)).join('\n'));
  return JSON.parse(line.slice(RESULT.length)) as BackendResult;
}

async function runHere(backend: BackendName, args: BenchArgs): Promise<BackendResult> {
  const r = await runSuite(backend, benchPlan(backend, args.quick), { quick: args.quick, onStage: log });
  console.log(`\n${formatTable(r)}\n`);
  if (r.deviceWork) console.log(`${formatCounts(r.deviceWork)}\n`);
  return r;
}

function torchRuns(args: BenchArgs): TorchResult[] {
  if (args.torch === 'off' || (args.torch === 'auto' && args.quick)) return [];
  const missing = torchMissing();
  if (missing) {
    if (args.torch === 'on') throw new Error(`bench: --torch on: ${missing}`);
    log(`PyTorch reference skipped: ${missing}`);
    return [];
  }
  const iters = args.quick ? 20 : 60;
  const runs: Array<[BlasEnv, TorchBlasThreads]> = [['unset', 'one'], ['unset', 'default'], ...(blasVarsSet() ? [['machine', 'one'] as [BlasEnv, TorchBlasThreads]] : [])];
  return runs.map(([env, threads]) => {
    log(`PyTorch reference, ${torchLabel(env, threads)}, --iters ${iters}`);
    return runTorch(env, iters, threads);
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    const r = await runHere(args.backends[0]!, args);
    console.log(`${RESULT}${JSON.stringify(r)}`);
    return;
  }
  const date = new Date().toISOString();
  const loadBefore = loadavg()[0]!;
  const results: BackendResult[] = [];
  // native reads the OpenBLAS variables as PyTorch does: where this machine sets them, it runs under both environments
  const twoEnvs = blasVarsSet() && args.backends.includes('native');
  for (const backend of args.backends) {
    if (backend === 'native' && twoEnvs) {
      for (const env of ['unset', 'machine'] as const) {
        log(`wasm+native, ${blasEnvLabel(env)}`);
        results.push({ ...runChild(backend, args, blasEnvironment(env)), blasEnv: env });
      }
    } else results.push(args.backends.length > 1 || twoEnvs ? runChild(backend, args) : await runHere(backend, args));
  }
  const torch = torchRuns(args);
  const load: [number, number] = [loadBefore, loadavg()[0]!];
  const comparison = formatComparison(results, torch);
  if (comparison) console.log(`\n${comparison}\nload average (1 min) ${load[0].toFixed(2)} before, ${load[1].toFixed(2)} after, on ${machineInfo().cpus} logical CPUs\n`);
  const dir = args.out ?? fileURLToPath(new URL('../results', import.meta.url));
  const files = saveResults(dir, {
    formatVersion: RESULT_FORMAT_VERSION, date, command: `bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineInfo(), versions: versions(), results, ...(torch.length ? { torch } : {}), load,
  });
  console.log(`results: ${files.join(', ')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

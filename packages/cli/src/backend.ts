/**
 * The one module that decides the tfjs backend for the CLI (library packages never
 * import a backend). `wasm` is the default in Node, `cpu` the fallback; the native
 * `tensorflow` / `tensorflow-gpu` backends and `webgpu` (Dawn's Node bindings, see
 * webgpu-node.ts) are optional peer dependencies loaded only when asked for.
 * Importing `@anira/tensor` registers the gradients tfjs-core's Node entry lacks.
 *
 * On wasm (`auto` or `wasm`), the native CPU kernels of `@anira/native` (an
 * optional dependency: OpenBLAS products on the wasm heap) are turned on when they
 * load; `--native off` or `ANIRA_NATIVE=0` keeps plain wasm, `--native on` makes a
 * failure to load a usage error. The flag is stored in this process's
 * `ANIRA_NATIVE`, so `--workers N` threads (which inherit it) decide the same way.
 *
 * Backends whose synchronous reads are unreliable (`webgpu`: `dataSync` on a GPU
 * queue, flaky on software adapters) are driven through the models' async paths;
 * `usesAsyncReads()` tells the training and evaluation code which to use.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@anira/tensor';
import { Option } from 'commander';
import { UsageError } from './errors.js';
import { oneOf } from './parse.js';
import { prepareNodeWebGpu } from './webgpu-node.js';

export const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu', 'webgpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** The `--backend` flag every command that runs tensors takes (default `auto`). */
export function backendOption(): Option {
  return new Option('--backend <name>', `tfjs backend: ${BACKENDS.join('|')}`).argParser(oneOf('--backend', BACKENDS)).default('auto');
}

export interface BackendInfo {
  /** The tfjs backend name actually in use. */
  readonly name: string;
  /** A one-line notice when the choice fell back to another backend. */
  readonly notice?: string;
  /** Drive training and evaluation through the async read paths (`runAsync`, `traceExamplesAsync`...). */
  readonly useAsync: boolean;
  /** The GPU adapter's name (webgpu only), e.g. "google swiftshader (SwiftShader driver 5.0.0)". */
  readonly adapter?: string;
  /** With native kernels on wasm: OpenBLAS's kernel family for this CPU, e.g. "SkylakeX". */
  readonly native?: string;
}

export const NATIVE_MODES = ['auto', 'on', 'off'] as const;
export type NativeMode = (typeof NATIVE_MODES)[number];

/** The `--native auto|on|off` flag (default: `ANIRA_NATIVE`, else auto). Stored in `ANIRA_NATIVE` for worker threads. */
export function nativeOption(): Option {
  return new Option('--native <mode>', `native CPU kernels on wasm (@anira/native): ${NATIVE_MODES.join('|')} (default: ANIRA_NATIVE, else auto)`).argParser((raw: string) => {
    const mode = oneOf('--native', NATIVE_MODES)(raw);
    process.env.ANIRA_NATIVE = mode;
    return mode;
  });
}

/** The native-kernel mode from `ANIRA_NATIVE` (0/off/false, 1/on/true, auto or unset). */
export function nativeMode(value: string | undefined = process.env.ANIRA_NATIVE): NativeMode {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === '0' || v === 'off' || v === 'false') return 'off';
  if (v === '1' || v === 'on' || v === 'true') return 'on';
  throw new UsageError(`ANIRA_NATIVE must be one of auto|on|off (or 1|0), got "${value}"`);
}

/** Turn the native kernels on for wasm per `mode`: the OpenBLAS core, or a notice. */
async function enableNative(mode: NativeMode): Promise<{ core?: string; notice?: string }> {
  if (mode === 'off') {
    await import('@anira/native').then((n) => n.disableNativeKernels()).catch(() => undefined); // kernels from an earlier call in this process
    return {};
  }
  let status: { enabled: boolean; core?: string; notice?: string };
  try {
    const native = await import('@anira/native');
    status = native.enableNativeKernels({ quiet: true });
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    status = { enabled: false, notice: `notice: native kernels unavailable (@anira/native cannot be imported: ${why}); using plain wasm` };
  }
  if (status.enabled) return status.core !== undefined ? { core: status.core } : {};
  if (mode === 'on') throw new UsageError(`--native on: ${status.notice?.replace(/^notice: /, '') ?? 'the native kernels did not load'}`);
  return status.notice !== undefined ? { notice: status.notice } : {};
}

/** Backends read through `await data()` only. */
const ASYNC_READ_BACKENDS: ReadonlySet<string> = new Set(['webgpu']);

/** Should tensors be read asynchronously on `backend` (default: the active tfjs backend)? */
export function usesAsyncReads(backend: string = tf.getBackend()): boolean {
  return ASYNC_READ_BACKENDS.has(backend);
}

const NATIVE: Record<'tensorflow' | 'tensorflow-gpu', { pkg: string; help: string }> = {
  tensorflow: {
    pkg: '@tensorflow/tfjs-node',
    help: 'install it with `npm install @tensorflow/tfjs-node@4.22.0` (its install script downloads libtensorflow, so it needs network access to storage.googleapis.com)',
  },
  'tensorflow-gpu': {
    pkg: '@tensorflow/tfjs-node-gpu',
    help: 'install it with `npm install @tensorflow/tfjs-node-gpu@4.22.0` on Linux x86_64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1 (see docs/gpu.md)',
  },
};

async function loadWasm(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
}

async function loadCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
}

async function trySet(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** Load and activate a backend. Throws `UsageError` when an explicit choice is unavailable. */
export async function setupBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  tf.enableProdMode(); // silences tfjs's Node banner and debug checks
  if (choice === 'tensorflow' || choice === 'tensorflow-gpu') {
    const { pkg, help } = NATIVE[choice];
    try {
      await import(pkg);
    } catch {
      throw new UsageError(`--backend ${choice}: ${pkg} is not installed; ${help}`);
    }
    if (!(await trySet('tensorflow'))) throw new UsageError(`--backend ${choice}: ${pkg} loaded but the backend failed to initialise`);
    return { name: tf.getBackend(), useAsync: false };
  }
  if (choice === 'webgpu') {
    const adapter = await prepareNodeWebGpu();
    if (!(await trySet('webgpu'))) throw new UsageError(`--backend webgpu: the adapter "${adapter}" was found but the tfjs webgpu backend failed to initialise`);
    return { name: 'webgpu', useAsync: true, adapter };
  }
  if (choice === 'cpu') {
    await loadCpu();
    if (!(await trySet('cpu'))) throw new UsageError('--backend cpu: the cpu backend failed to initialise');
    return { name: 'cpu', useAsync: false };
  }
  const mode = nativeMode();
  let wasmError = '';
  try {
    await loadWasm();
    if (await trySet('wasm')) {
      const { core, notice } = await enableNative(mode);
      return { name: 'wasm', useAsync: false, ...(core !== undefined ? { native: core } : {}), ...(notice !== undefined ? { notice } : {}) };
    }
    wasmError = 'initialisation failed';
  } catch (e) {
    wasmError = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
  if (choice === 'wasm') throw new UsageError(`--backend wasm: the wasm backend is unavailable (${wasmError})`);
  await loadCpu();
  await trySet('cpu');
  return { name: 'cpu', useAsync: false, notice: `notice: wasm backend unavailable (${wasmError}); using cpu` };
}

/** tfjs-backend-wasm's heap limit (wasm32 memory, the module's maximum). */
export const WASM_HEAP_LIMIT_BYTES = 4 * 2 ** 30;

/** The sizes of a run that decide how much memory a training batch needs. */
export interface RunSizes {
  readonly model: Readonly<Record<string, unknown>>;
  readonly trainer: Readonly<Record<string, unknown>>;
  readonly task: { readonly name: string; readonly params?: Readonly<Record<string, unknown>> };
}

/**
 * The usage error for a run that exhausted the wasm heap: the module aborts on a
 * failed allocation with a `WebAssembly.RuntimeError` (and can run nothing more).
 * Undefined for any other error, or on another backend.
 */
export function heapExhaustedError(e: unknown, run: RunSizes): UsageError | undefined {
  if (!(e instanceof WebAssembly.RuntimeError) || tf.getBackend() !== 'wasm') return undefined;
  const v = (x: unknown) => (x === undefined ? 'default' : String(x));
  const params = run.task.params && Object.keys(run.task.params).length ? ` ${JSON.stringify(run.task.params)}` : '';
  return new UsageError(
    `a training batch does not fit in the wasm heap (limit ${WASM_HEAP_LIMIT_BYTES / 2 ** 30} GiB): trainer.batchSize ${v(run.trainer.batchSize)}, ` +
      `model dModel ${v(run.model.dModel)} tMax ${v(run.model.tMax)}, task ${run.task.name}${params}; ` +
      `lower trainer.batchSize (memory grows with batchSize x length x dModel x tMax) or split each batch over threads with --workers N (each has its own heap)`,
  );
}

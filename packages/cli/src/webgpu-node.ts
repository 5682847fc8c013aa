/**
 * WebGPU in Node for the CLI through the optional `webgpu` package (Dawn's Node
 * bindings; its prebuilt `dawn.node` ships inside the package). Installs the WebGPU
 * globals and `navigator.gpu`, checks that an adapter exists (so "no GPU" is one
 * clear line rather than a tfjs stack), then imports `@tensorflow/tfjs-backend-webgpu`,
 * which registers its backend only when `navigator.gpu` exists at import time, and
 * makes its AddN kernel respect the device's buffer limit (@anira/tensor's chunkWebGpuAddN).
 * Both packages are optional peer dependencies of @anira/cli, loaded dynamically.
 *
 * On Linux the Vulkan loader prints a warning to stderr when `XDG_RUNTIME_DIR` is
 * unset; it is set to the temp folder in that case (nothing else reads it here).
 */
import { tmpdir } from 'node:os';
import { UsageError } from './errors.js';
import { chunkWebGpuAddN } from '@anira/tensor';

export const WEBGPU_INSTALL = 'npm install webgpu @tensorflow/tfjs-backend-webgpu';

export const NO_ADAPTER =
  '--backend webgpu: no WebGPU adapter found (no GPU, or no Vulkan/Metal/D3D12 driver Dawn accepts); on Linux without a GPU, ' +
  "Chromium's SwiftShader driver works (slowly): apt-get install -y chromium libvulkan1, then set " +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (see docs/gpu.md)';

/** The identifying fields of a `GPUAdapterInfo` (empty strings when the driver leaves them out). */
export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
}

/** "vendor architecture (description)", skipping empty fields; e.g. "google swiftshader (SwiftShader driver 5.0.0)". */
export function adapterName(info: AdapterInfo): string {
  const head = [info.vendor, info.architecture].filter((s) => s !== '').join(' ');
  if (info.description === '') return head === '' ? 'unknown adapter' : head;
  return head === '' ? info.description : `${head} (${info.description})`;
}

/** `import(specifier)`, replaceable in tests. */
export type Importer = (specifier: string) => Promise<unknown>;

/**
 * The default importer. The two specifiers are written out literally so a bundler
 * (the GPU check kit's esbuild bundle) includes `@tensorflow/tfjs-backend-webgpu`
 * beside the same tfjs-core and can keep `webgpu` (a native addon) external.
 */
const importPackage: Importer = (specifier) =>
  specifier === 'webgpu' ? import('webgpu') : specifier === '@tensorflow/tfjs-backend-webgpu' ? import('@tensorflow/tfjs-backend-webgpu') : import(specifier);

interface GpuLike {
  requestAdapter(): Promise<{ info?: Partial<AdapterInfo> } | null>;
}
interface WebGpuModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

function isNotFound(e: unknown, specifier: string): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') && String(err.message).includes(`'${specifier}'`);
}

async function importOrExplain(importer: Importer, specifier: string): Promise<unknown> {
  try {
    return await importer(specifier);
  } catch (e) {
    if (isNotFound(e, specifier)) throw new UsageError(`--backend webgpu: the ${specifier} package is not installed; install it with \`${WEBGPU_INSTALL}\``);
    const first = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new UsageError(`--backend webgpu: ${specifier} failed to load (${first})`);
  }
}

/** Make `gpu` the global `navigator.gpu` (Node 20 has no `navigator`; Node 21+ has one without `gpu`). */
function installNavigator(gpu: GpuLike): void {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (g.navigator.gpu === undefined) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
}

let ready: Promise<string> | undefined;

/**
 * Prepare tfjs's `webgpu` backend in Node; resolves to the adapter's name. Throws a
 * one-line `UsageError` when a package is missing or no adapter exists. Idempotent.
 */
export function prepareNodeWebGpu(importer: Importer = importPackage): Promise<string> {
  ready ??= load(importer).catch((e: unknown) => {
    ready = undefined; // a failed attempt may be retried (e.g. after installing a package)
    throw e;
  });
  return ready;
}

async function load(importer: Importer): Promise<string> {
  const webgpu = (await importOrExplain(importer, 'webgpu')) as WebGpuModule;
  if (process.platform === 'linux' && !process.env['XDG_RUNTIME_DIR']) process.env['XDG_RUNTIME_DIR'] = tmpdir();
  for (const [k, v] of Object.entries(webgpu.globals)) if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  const g = globalThis as { navigator?: { gpu?: GpuLike } };
  const gpu = g.navigator?.gpu ?? webgpu.create([]);
  const adapter = await gpu.requestAdapter();
  if (adapter === null) throw new UsageError(NO_ADAPTER);
  installNavigator(gpu);
  await importOrExplain(importer, '@tensorflow/tfjs-backend-webgpu');
  chunkWebGpuAddN();
  const info = adapter.info ?? {};
  return adapterName({ vendor: info.vendor ?? '', architecture: info.architecture ?? '', description: info.description ?? '' });
}

/**
 * Consumer tests on the packed tarballs: every public package is `pnpm pack`ed and
 * installed with npm into fresh projects outside the workspace, then exercised in
 * plain `node` processes (no vitest transforms) and with `tsc`. Needs `pnpm build`
 * first (`pnpm test` does it); never builds itself.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, runScript, type ConsumerProject } from './consumer-project.js';
import { packAll, packedPackageJson, tarballFiles, type Tarball } from './pack.js';
import { extractReadmeExamples, STRICT_CONSUMER_OPTIONS } from './readme-example.js';
import { lastJsonLine, run } from './run.js';
import { assertBuilt, exportSubpaths, publicPackages } from './workspace.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const packages = publicPackages();
const TFJS = { '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0' };
const VEGA = { vega: '6.4.0', 'vega-lite': '6.4.3' };

/** Names each documented entry point must export (a subset; the full lists come from ESM and CJS alike). */
const DOCUMENTED: Record<string, readonly string[]> = {
  '@anira/tensor': ['GRADIENTS_REGISTERED', 'Adam', 'linear', 'matmul', 'embed', 'layerNorm'],
  '@anira/tensor/node': ['writeFileAtomic', 'makeDirectory', 'tempFilePid'],
  '@anira/tasks': ['IGNORE', 'PAD_ID', 'getTask', 'listTasks', 'generateExample', 'sampleDataset', 'exampleToJsonl'],
  '@anira/tasks/testing': ['taskParams'],
  '@anira/tasks/errors': ['AniraInputError', 'pathError'],
  '@anira/metrics': ['TRACE_FORMAT_VERSION', 'spearman', 'alignment', 'decisionTiming', 'formatAnalysis'],
  '@anira/metrics/stats': ['partialSpearman', 'clusterBootstrapCI', 'ols', 'midranks'],
  '@anira/metrics/report': ['renderReport'],
  '@anira/metrics/node': ['readTraceFile', 'writeTraceFile', 'writeReport'],
  '@anira/metrics/trace': ['TRACE_FORMAT_VERSION', 'SUPPORTED_TRACE_VERSIONS'],
  '@anira/halting': ['HALTING_SPEC_VERSION', 'aniraE', 'aniraO', 'act', 'createPolicy', 'budget'],
  '@anira/halting/testing': ['simulateInference', 'toTensors'],
  '@anira/halting/arbitraries': ['policyCase', 'policyDims'],
  '@anira/model': ['LoopedTransformer', 'Trainer', 'defaultModelConfig', 'infer', 'collate', 'traceExamples'],
  '@anira/model/node': ['readCheckpointFile', 'writeCheckpointFile'],
  '@anira/cli': ['runCli', 'buildProgram', 'VERSION'],
  '@anira/native': ['enableNativeKernels', 'disableNativeKernels', 'nativeKernelsEnabled', 'loadAddon'],
};
/** Files besides README.md, package.json and dist/ that a package ships (the native addon's binaries and sources). */
const EXTRA_FILES: Record<string, RegExp> = { '@anira/native': /^(prebuilds\/|csrc\/|scripts\/blas-flags\.cjs$|binding\.gyp$)/ };
const specifiers = packages.flatMap(({ json }) => exportSubpaths(json).map((s) => (s === '.' ? json.name : `${json.name}${s.slice(1)}`)));

let scratch = '';
let tarballs = new Map<string, Tarball>();
let full: ConsumerProject;
let tasksAlone: ConsumerProject;
let metricsAlone: ConsumerProject;
let modelAlone: ConsumerProject;

beforeAll(async () => {
  assertBuilt(packages);
  scratch = mkdtempSync(join(tmpdir(), 'anira-consumer-'));
  mkdirSync(join(scratch, 'tarballs'));
  tarballs = await packAll(packages, join(scratch, 'tarballs'));
  const one = (name: string) => [tarballs.get(name)!];
  const all = [...tarballs.values()];
  [full, tasksAlone, metricsAlone, modelAlone] = await Promise.all([
    createConsumerProject(join(scratch, 'full'), all, { ...TFJS, ...VEGA, '@tensorflow/tfjs-backend-cpu': '4.22.0', 'fast-check': '4.11.0', typescript: '5.9.3', '@types/node': '20.19.43' }),
    createConsumerProject(join(scratch, 'tasks-alone'), one('@anira/tasks')),
    // metrics depends on @anira/tasks (the input-error type): pinned to its tarball, not a direct dependency
    createConsumerProject(join(scratch, 'metrics-alone'), all, VEGA, ['@anira/metrics']),
    createConsumerProject(join(scratch, 'model-alone'), all, { '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-cpu': '4.22.0' }, ['@anira/model']),
  ]);
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('packed tarballs', () => {
  it('ship README.md and dist, and pin internal dependencies to real versions', async () => {
    for (const t of tarballs.values()) {
      const files = await tarballFiles(t.file);
      expect(files, t.name).toContain('README.md');
      const extra = EXTRA_FILES[t.name];
      expect(files.every((f) => f === 'README.md' || f === 'package.json' || f.startsWith('dist/') || extra?.test(f)), `${t.name}: ${files.join(', ')}`).toBe(true);
      const json = await packedPackageJson(t.file);
      for (const [dep, range] of Object.entries((json['dependencies'] ?? {}) as Record<string, string>)) {
        if (dep.startsWith('@anira/')) expect(range, `${t.name} -> ${dep}`).toBe(`^${tarballs.get(dep)!.version}`);
      }
    }
  });
});

describe('entry points in plain node', () => {
  it('every export subpath loads with ESM import and CJS require, with the same names', async () => {
    copyFileSync(fixture('imports.mjs'), join(full.dir, 'imports.mjs'));
    copyFileSync(fixture('requires.cjs'), join(full.dir, 'requires.cjs'));
    const esm = lastJsonLine<Record<string, string[]>>(await run('node', ['imports.mjs', ...specifiers], { cwd: full.dir }));
    const cjs = lastJsonLine<Record<string, string[]>>(await run('node', ['requires.cjs', ...specifiers], { cwd: full.dir }));
    for (const spec of specifiers) {
      expect(cjs[spec], spec).toEqual(esm[spec]);
      expect(esm[spec], spec).toEqual(expect.arrayContaining([...(DOCUMENTED[spec] ?? [])]));
    }
    expect(Object.keys(DOCUMENTED).filter((s) => !specifiers.includes(s)), 'documented entry points missing from exports').toEqual([]);
  });

  it('the anira bin runs and prints the packed version', async () => {
    const out = await run(join(full.dir, 'node_modules', '.bin', 'anira'), ['--version'], { cwd: full.dir });
    expect(out.trim()).toBe(tarballs.get('@anira/cli')!.version);
  });
});

describe('installed alone, without tfjs', () => {
  it('@anira/tasks generates examples and exports JSONL', async () => {
    expect(existsSync(join(tasksAlone.dir, 'node_modules', '@tensorflow'))).toBe(false);
    const out = lastJsonLine<{ perTask: [string, number][] }>(await runScript(tasksAlone, 'main.mjs', readFileSync(fixture('tasks-alone.mjs'), 'utf8')));
    expect(out.perTask.length).toBe(8);
    for (const [name, n] of out.perTask) expect(n, name).toBe(3);
    const lines = readFileSync(join(tasksAlone.dir, 'addition.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(50);
    for (const line of lines) {
      const r = JSON.parse(line) as { input: number[]; target: number[]; difficulty: number[]; tokens: string[] };
      // Next-token targets, difficulty exactly where there is a target.
      r.target.forEach((t, i) => {
        if (t !== -1) expect(t).toBe(r.input[i + 1]);
        expect(r.difficulty[i]! >= 0).toBe(t !== -1);
      });
      // Independent oracle: operands are written most significant digit first, the sum least significant first.
      const text = r.tokens.join(' ');
      const m = /^([\d ]+) \+ ([\d ]+) = ([\d ]+)$/.exec(text);
      expect(m, text).not.toBeNull();
      const num = (s: string) => BigInt(s.replaceAll(' ', ''));
      expect(num(m![3]!.split(' ').reverse().join('')), text).toBe(num(m![1]!) + num(m![2]!));
    }
  });

  it('@anira/metrics computes correlations and writes an HTML report', async () => {
    expect(existsSync(join(metricsAlone.dir, 'node_modules', '@tensorflow'))).toBe(false);
    const out = lastJsonLine<{ spearman: number; pearson: number; alignment: number; reportKeys: string[] }>(
      await runScript(metricsAlone, 'main.mjs', readFileSync(fixture('metrics-alone.mjs'), 'utf8')),
    );
    // x = 1..5, y = [2,1,4,3,5]: sum d^2 = 4, rho = 1 - 6*4/(5*24) = 0.8; values are ranks, so Pearson = 0.8 too.
    expect(out.spearman).toBeCloseTo(0.8, 12);
    expect(out.pearson).toBeCloseTo(0.8, 12);
    expect(out.alignment).toBe(1); // exit depth = difficulty + 1 on every token
    const html = readFileSync(join(metricsAlone.dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<svg');
  });
});

describe('installed alone: @anira/model with its peer tfjs-core', () => {
  it('pulls in no plotting library, and simulateInference runs without fast-check', async () => {
    const tree = await run('npm', ['ls', '--all', '--parseable'], { cwd: modelAlone.dir });
    expect(tree.split('\n').filter((p) => /[\\/]vega[^\\/]*$/.test(p)), 'vega in the tree').toEqual([]);
    expect(existsSync(join(modelAlone.dir, 'node_modules', 'vega'))).toBe(false);
    expect(existsSync(join(modelAlone.dir, 'node_modules', 'fast-check'))).toBe(false);
    const out = lastJsonLine<{ exitDepth: number[][]; tMax: number }>(await runScript(modelAlone, 'main.mjs', readFileSync(fixture('model-alone.mjs'), 'utf8')));
    expect(out.exitDepth).toEqual([[2, 2]]); // fixed depth 2 on both tokens
    expect(readFileSync(join(modelAlone.dir, 'out', 'ckpt.bin'))).toEqual(Buffer.from([1, 2, 3]));
  });
});

describe('dual-package hazard', () => {
  it('ESM import and CJS require of the same packages coexist in one process', async () => {
    const out = lastJsonLine<{ sameModule: boolean; names: string[]; unique: number; modelVariables: number[] }>(
      await runScript(full, 'dual.cjs', readFileSync(fixture('dual-package.cjs'), 'utf8')),
    );
    expect(out.sameModule).toBe(false); // really two copies
    expect(out.names.length).toBeGreaterThan(0);
    expect(out.unique).toBe(out.names.length);
    expect(out.modelVariables[0]).toBeGreaterThan(0);
    expect(out.modelVariables[1]).toBe(out.modelVariables[0]);
  });
});

describe('@anira/model + @anira/halting + tfjs-core + wasm', () => {
  it('trains a few steps in plain node and infers beyond the training tMax', async () => {
    const out = lastJsonLine<{ backend: string; losses: number[]; gradNorms: number[]; changedFraction: number; policyVariables: number; tensorGrowth: number; exitDepth: number[]; length: number }>(
      await runScript(full, 'train.mjs', readFileSync(fixture('train.mjs'), 'utf8')),
    );
    expect(out.backend).toBe('wasm');
    expect(out.losses).toHaveLength(4);
    for (const l of out.losses) expect(Number.isFinite(l) && l > 0).toBe(true);
    for (const g of out.gradNorms) expect(Number.isFinite(g) && g > 0).toBe(true);
    expect(out.policyVariables).toBeGreaterThan(0);
    expect(out.changedFraction).toBe(1); // every model and policy variable received a gradient
    expect(out.tensorGrowth).toBe(0);
    expect(out.exitDepth).toHaveLength(out.length);
    for (const d of out.exitDepth) expect(d >= 1 && d <= 5).toBe(true);
  });
});

describe('@anira/native from the packed tarball', () => {
  it('uses the prebuilt binary (no compile at install) and trains on the native kernels with plain wasm\'s losses', async () => {
    const dir = join(full.dir, 'node_modules', '@anira', 'native');
    expect(existsSync(join(dir, 'prebuilds', `${process.platform}-${process.arch}`)), 'a prebuild for this platform').toBe(true);
    expect(existsSync(join(dir, 'build')), 'node-gyp compiled the addon at install').toBe(false);
    const out = lastJsonLine<{ status: { enabled: boolean; notice?: string }; cheap: boolean; plain: number[]; native: number[] }>(
      await runScript(full, 'train-native.mjs', readFileSync(fixture('train-native.mjs'), 'utf8')),
    );
    expect(out.status.notice).toBeUndefined();
    expect(out.status.enabled).toBe(true);
    expect(out.cheap).toBe(true); // the gradients took the transpose-flag path
    expect(out.native).toHaveLength(6);
    out.native.forEach((l, i) => expect(Math.abs(l - out.plain[i]!) / out.plain[i]!, `step ${i}`).toBeLessThan(1e-4));
  });
});

describe('TypeScript consumers', () => {
  for (const [name, options] of [
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ] as const) {
    it(`tsc --noEmit accepts the public types with moduleResolution ${name}`, async () => {
      copyFileSync(fixture('consumer-types.ts'), join(full.dir, 'consumer-types.ts'));
      const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', exactOptionalPropertyTypes: true, ...options };
      writeFileSync(join(full.dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files: ['consumer-types.ts'] }));
      await run(join(full.dir, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${name}.json`], { cwd: full.dir });
    });
  }
});

describe('README examples compile under strict TypeScript and run', () => {
  for (const { dir, json } of packages) {
    it(json.name, async () => {
      const examples = extractReadmeExamples(readFileSync(join(dir, 'README.md'), 'utf8'));
      if (examples.length === 0) throw new Error(`${json.name}: README has no \`\`\`ts block`);
      const folder = join(full.dir, `readme-${json.name.split('/')[1]}`);
      mkdirSync(folder, { recursive: true });
      const files = examples.map(({ code }, i) => {
        writeFileSync(join(folder, `example${i}.ts`), code);
        return `example${i}.ts`;
      });
      writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICT_CONSUMER_OPTIONS, types: ['node'] }, files }));
      await run(join(full.dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: folder });
      for (const [i, f] of files.entries()) {
        if (!examples[i]!.run) continue; // compiled only
        const stdout = await run('node', [join(folder, 'out', f.replace(/\.ts$/, '.js'))], { cwd: folder, timeoutMs: 120_000 });
        expect(stdout.length, `${json.name} ${f}`).toBeGreaterThan(0);
      }
      if (json.name === '@anira/metrics') expect(readdirSync(join(folder, 'report'))).toContain('index.html');
    });
  }
});

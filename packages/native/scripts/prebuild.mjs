#!/usr/bin/env node
/**
 * Builds the committed prebuild `prebuilds/<platform>-<arch>/@anira+native.node`
 * with prebuildify (N-API, stripped). Offline machines need Node's headers, which
 * node-gyp otherwise downloads: when the running Node ships them (Debian's
 * `nodejs` in /usr/include/node, or an official tarball's include/node), they are
 * passed as nodedir. Then it prints the binary's size and its dynamic libraries,
 * and fails if libopenblas is among them (the BLAS must be linked statically).
 * Run it through `pnpm --filter @anira/native prebuildify` (or npm): the package
 * manager puts its bundled node-gyp on PATH, which prebuildify uses.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const env = { ...process.env };
const nodedir = resolve(dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = nodedir;
execFileSync(process.execPath, [require.resolve('prebuildify/bin.js'), '--napi', '--strip'], { cwd: root, env, stdio: 'inherit' });

const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
for (const f of readdirSync(dir).filter((x) => x.endsWith('.node'))) {
  const file = join(dir, f);
  const libs = process.platform === 'linux' ? execFileSync('ldd', [file], { encoding: 'utf8' }) : '';
  console.log(`${file}: ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB\n${libs}`);
  if (/openblas/i.test(libs)) {
    console.error('the prebuild links libopenblas dynamically; install a static OpenBLAS (Debian libopenblas-pthread-dev)');
    process.exit(1);
  }
}

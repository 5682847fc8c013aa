import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    define: { __ANIRA_VERSION__: JSON.stringify(version) },
    external: ['@anira/native'], // an optional dependency: imported at run time, never bundled (it locates its binary from its own folder)
  },
  {
    // parallel-setup.js: imported by every worker thread of `--workers N` (see experiment/parallel-setup.ts)
    entry: { bin: 'src/bin.ts', 'parallel-setup': 'src/experiment/parallel-setup.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    define: { __ANIRA_VERSION__: JSON.stringify(version) },
    external: ['@anira/native'], // an optional dependency: imported at run time, never bundled (it locates its binary from its own folder)
  },
]);

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', internal: 'src/internal.ts', 'parallel-worker': 'src/parallel/worker.ts' },
  // import.meta.url in the CJS build (node.cjs locates parallel-worker.js beside itself)
  shims: true,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});

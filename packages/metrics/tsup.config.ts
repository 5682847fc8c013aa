import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/stats.ts', 'src/report.ts', 'src/node.ts', 'src/trace.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // The atomic writer is bundled (a devDependency), so installing metrics pulls in no tfjs.
  noExternal: ['@anira/tensor/node'],
});

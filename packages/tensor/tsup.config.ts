import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Bundle tfjs-core's gradient registrations (see src/gradients.ts); the rest of
  // tfjs-core stays an external peer dependency.
  noExternal: [/register_all_gradients/],
});

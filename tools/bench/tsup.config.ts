/** Build of the benchmark CLI: one ESM file run by plain Node against the BUILT workspace packages (kept external). */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/bin.ts', 'src/profile-bin.ts', 'src/seeds-bin.ts', 'src/ab-bin.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
});

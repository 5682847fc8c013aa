/**
 * Vite config of the page: a plain static build. The @anira packages resolve to their
 * built `dist/` (run `pnpm build` at the repository root first).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // zod's /* @__PURE__ */ comments in odd positions: harmless, but noisy.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
});

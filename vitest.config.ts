/**
 * One root vitest config with a project per package. Workspace packages resolve to
 * their sources, so tests never need a build; the plain-Node tests (tools/packaging)
 * exercise the built packages separately.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const alias = {
  '@anira/tasks/testing': here('./packages/tasks/src/testing.ts'),
  '@anira/tasks/errors': here('./packages/tasks/src/errors.ts'),
  '@anira/halting/testing': here('./packages/halting/src/testing.ts'),
  '@anira/halting/arbitraries': here('./packages/halting/src/arbitraries.ts'),
  '@anira/model/node': here('./packages/model/src/node.ts'),
  '@anira/metrics/node': here('./packages/metrics/src/node.ts'),
  '@anira/metrics/report': here('./packages/metrics/src/report.ts'),
  '@anira/metrics/stats': here('./packages/metrics/src/stats.ts'),
  '@anira/metrics/trace': here('./packages/metrics/src/trace.ts'),
  '@anira/tensor/node': here('./packages/tensor/src/node.ts'),
  '@anira/tensor': here('./packages/tensor/src/index.ts'),
  '@anira/tasks': here('./packages/tasks/src/index.ts'),
  '@anira/metrics': here('./packages/metrics/src/index.ts'),
  '@anira/halting': here('./packages/halting/src/index.ts'),
  '@anira/model': here('./packages/model/src/index.ts'),
  '@anira/cli': here('./packages/cli/src/index.ts'),
  '@anira/native': here('./packages/native/src/index.ts'),
};

const project = (name: string, root: string, extra: Record<string, unknown> = {}) => ({
  resolve: { alias },
  test: {
    name,
    root,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // generous: a test fails on a hang, never because a shared 2-core machine is slow
    testTimeout: 600_000,
    hookTimeout: 600_000,
    ...extra,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('tensor', here('./packages/tensor')),
      project('tasks', here('./packages/tasks')),
      project('metrics', here('./packages/metrics')),
      project('halting', here('./packages/halting')),
      project('model', here('./packages/model')),
      project('cli', here('./packages/cli')),
      project('native', here('./packages/native')),
      project('tools', here('./tools'), { include: ['**/*.test.ts'], exclude: ['**/node_modules/**'] }),
      project('examples', here('./examples'), { include: ['*/test/**/*.test.ts'], exclude: ['**/node_modules/**'] }),
    ],
  },
});

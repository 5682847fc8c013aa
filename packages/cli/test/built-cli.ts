/**
 * Helpers for tests that run the BUILT `anira` in a plain `node` process (vitest
 * transforms tfjs's ESM and would hide the gradient-registration trap). The root
 * `pnpm test` builds first; these tests never build, so they cannot race a build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` before these tests (\`pnpm test\` does)`);
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node dist/bin.js ...args` in `cwd`. */
export function anira(args: readonly string[], cwd: string, timeoutMs = 300_000): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

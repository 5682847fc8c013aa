/**
 * Child processes for the packaging checks: run a command and return its output, or
 * throw one error that carries the command, its cwd and everything it printed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface RunOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** Run `cmd args` in `cwd`; resolves to stdout, rejects with stdout and stderr in the message. */
export async function run(cmd: string, args: readonly string[], options: RunOptions): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cmd, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed in ${options.cwd}: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** Last line of stdout parsed as JSON (scripts print their result there). */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}

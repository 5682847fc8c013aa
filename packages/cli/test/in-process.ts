/**
 * Run `anira` in-process through `runCli()`, capturing what it writes to stdout and
 * stderr and its exit code, in a given working directory. Much faster than spawning
 * the built CLI; use a process only where one is needed (pipes, the bin wiring).
 */
import { runCli } from '../src/program.js';

export interface InProcessResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run one command line; process.chdir(cwd) for its duration (tests in one file run serially). */
export async function aniraIn(args: readonly string[], cwd: string): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const here = process.cwd();
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  process.chdir(cwd);
  try {
    const status = await runCli(args);
    return { status, stdout, stderr };
  } finally {
    process.chdir(here);
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** The stderr lines that carry a message (commander's "(Did you mean ...)" hint aside). */
export const messageLines = (stderr: string): string[] => stderr.trim().split('\n').filter((l) => l !== '' && !/^\(Did you mean/.test(l));

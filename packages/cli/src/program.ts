/** The `anira` command tree (commander). Sub-commands are registered from ./commands. */
import { Command } from 'commander';
import { VERSION } from './version.js';

/** Build the command tree; `run()` parses argv and maps errors to exit codes. */
export function buildProgram(): Command {
  const program = new Command('anira')
    .description('Per-token adaptive computation in looped Transformers: train, evaluate, analyse, report.')
    .version(VERSION, '-V, --version');
  return program;
}

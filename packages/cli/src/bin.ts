#!/usr/bin/env node
/** Executable entry of the `anira` command. */
import { runCli } from './program.js';
import { reportError } from './report-error.js';

// A reader that stops early (`anira tasks sample ... | head`) closes the pipe: that is
// not an error, so stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const argv = process.argv.slice(2);
// runCli reports every error itself; this catches only a failure of that reporting
runCli(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = reportError(e);
  },
);

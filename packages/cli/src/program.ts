/**
 * The `anira` command tree (commander) and its error policy (report-error.ts): usage
 * errors (unknown flags, bad values, bad files) print one line and exit 2; run
 * failures and file-system errors one line and exit 1; bugs their stack and exit 1.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { VERSION } from './version.js';
import { USAGE_EXIT } from './errors.js';
import { reportError } from './report-error.js';
import { tasksCommand } from './commands/tasks.js';
import { runCommand, trainCommand } from './commands/run.js';
import { analyzeCommand, evalCommand, reportCommand } from './commands/analysis.js';
import { policiesCommand } from './commands/policies.js';
import { sweepCommand } from './commands/sweep.js';

/** Apply the shared conventions to a command and all its sub-commands. */
function harden(cmd: Command): Command {
  cmd.exitOverride().showSuggestionAfterError(true).allowExcessArguments(false);
  cmd.configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(s) });
  for (const sub of cmd.commands) harden(sub);
  return cmd;
}

/** Build the command tree. */
export function buildProgram(): Command {
  const program = new Command('anira')
    .description('Per-token adaptive computation in looped Transformers: train, evaluate, analyse, report.\nWith no command, runs the default experiment end to end.')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions();
  program.addCommand(runCommand(), { isDefault: true });
  program.addCommand(trainCommand());
  program.addCommand(evalCommand());
  program.addCommand(analyzeCommand());
  program.addCommand(reportCommand());
  program.addCommand(tasksCommand());
  program.addCommand(policiesCommand());
  program.addCommand(sweepCommand());
  return harden(program);
}

/** Parse argv and run; returns the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (e) {
    // An InvalidArgumentError thrown inside an action reaches here unprinted (commander
    // prints only those its own option parsers throw, re-thrown as CommanderError).
    if (e instanceof CommanderError && !(e instanceof InvalidArgumentError)) {
      // help and version exit with code 0; commander already printed the message
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return USAGE_EXIT;
    }
    return reportError(e);
  }
}

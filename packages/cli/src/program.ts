/**
 * The `anira` command tree (commander) and its error policy (report-error.ts): usage
 * errors (unknown flags, bad values, bad files) print one line and exit 2; run
 * failures and file-system errors one line and exit 1; bugs their stack and exit 1.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { VERSION } from './version.js';
import { USAGE_EXIT, UsageError } from './errors.js';
import { reportError } from './report-error.js';
import { tasksCommand } from './commands/tasks.js';
import { runCommand, trainCommand } from './commands/run.js';
import { analyzeCommand, evalCommand, reportCommand } from './commands/analysis.js';
import { policiesCommand } from './commands/policies.js';
import { sweepCommand } from './commands/sweep.js';

/** Commander's `error: ...` message, with its `(Did you mean ...?)` line, as one `anira: ...` line. */
function oneLine(message: string): string {
  const text = message.trim().replace(/^error: /, '');
  const [first, ...rest] = text.split('\n');
  const hint = rest.map((l) => /^\(Did you mean (.*)\?\)$/.exec(l.trim())?.[1]).find((h) => h !== undefined);
  return `anira: ${first!}${hint !== undefined ? ` (did you mean ${hint}?)` : ''}\n`;
}

/** Edit distance of two short words (for the unknown-command hint). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * `anira trian`: `run` is the default command and takes no argument, so a first word
 * that is no command is a mistyped command, not an argument of `run`.
 */
function assertKnownCommand(program: Command, argv: readonly string[]): void {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return;
  const names = program.commands.map((c) => c.name());
  if (names.includes(first) || first === 'help') return;
  const near = names.filter((n) => distance(n, first) <= 2).sort((a, b) => distance(a, first) - distance(b, first));
  throw new UsageError(`unknown command "${first}"${near.length ? ` (did you mean ${near[0]!}?)` : ''}; commands: ${names.join(', ')}`, { code: 'unknown-name' });
}

/** Apply the shared conventions to a command and all its sub-commands. */
function harden(cmd: Command): Command {
  cmd.exitOverride().showSuggestionAfterError(true).allowExcessArguments(false);
  cmd.configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(oneLine(s)) });
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
    assertKnownCommand(program, argv);
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

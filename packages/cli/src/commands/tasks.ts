/**
 * `anira tasks list` and `anira tasks sample`: browse the task generators and export
 * datasets as JSONL (one example per line; schema in docs/tasks.md).
 */
import { Command } from 'commander';
import { exampleToJsonl, paramChoiceName, getTask, listTasks, sampleDataset } from '@anira/tasks';
import { intIn, keyValue, numericRecord, oneOf, type ParamValue } from '../parse.js';

/** Resolve task params, turning validation errors into usage errors. */
export function resolveTaskParams(taskName: string, raw: Readonly<Record<string, ParamValue>>) {
  const task = getTask(taskName);
  // string values are the task's to accept (choice params) or reject naming the param
  return { task, params: task.resolveParams(raw as Readonly<Record<string, number>>) };
}

export function tasksCommand(): Command {
  const cmd = new Command('tasks').description('List tasks and sample or export examples.');
  cmd
    .command('list')
    .description('List every task with its knobs (default, range, meaning).')
    .action(() => {
      for (const task of listTasks()) {
        process.stdout.write(`${task.name}  (size knob: ${task.sizeParam})\n  ${task.description}\n`);
        for (const [k, p] of Object.entries(task.params)) {
          const range = p.choices ? p.choices.join('|') : `[${p.min}, ${p.max}]`;
          process.stdout.write(`    --param ${k}=${paramChoiceName(task, k, p.default)}  ${range}  ${p.description}\n`);
        }
      }
    });
  cmd
    .command('sample')
    .description('Print readable examples with per-token difficulty, or export JSONL.')
    .argument('<task>', 'task name (see `anira tasks list`)')
    .option('--n <count>', 'number of examples', intIn('--n', 1, 10_000_000), 5)
    .option('--seed <seed>', 'dataset seed', intIn('--seed', 0, 2 ** 31 - 1), 1)
    .option('--param <key=value>', 'task parameter (repeatable)', keyValue('--param'), {})
    .option('--balanced', 'balance the difficulty levels of target tokens', false)
    .option('--format <format>', 'text or jsonl', oneOf('--format', ['text', 'jsonl'] as const), 'text')
    .action((name: string, opts: { n: number; seed: number; param: Record<string, string>; balanced: boolean; format: 'text' | 'jsonl' }) => {
      const { task, params } = resolveTaskParams(name, numericRecord('--param', opts.param, name));
      const examples = sampleDataset(task, params, { n: opts.n, seed: opts.seed, balanced: opts.balanced });
      for (const ex of examples) {
        process.stdout.write(opts.format === 'jsonl' ? `${exampleToJsonl(ex)}\n` : `${task.render(ex)}\n\n`);
      }
    });
  return cmd;
}

/** `anira policies`: list the built-in halting policies and their options. */
import { Command } from 'commander';
import { listPolicyDefinitions } from '@anira/halting';

export function policiesCommand(): Command {
  return new Command('policies').description('List halting policies and their options (pass options with --opt key=value).').action(() => {
    for (const def of listPolicyDefinitions()) {
      process.stdout.write(`${def.name}\n  ${def.description}\n`);
      for (const o of def.options) {
        const range = o.choices ? ` (${o.choices.join('|')})` : o.min !== undefined || o.max !== undefined ? ` [${o.min ?? '-inf'}, ${o.max ?? 'inf'}]` : '';
        process.stdout.write(`    --opt ${o.name}=${String(o.default)}  ${o.type}${range}  ${o.description}\n`);
      }
    }
  });
}

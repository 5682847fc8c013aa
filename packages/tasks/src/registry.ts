/** The built-in tasks, by name. */
import { AniraInputError } from './errors.js';
import type { Task } from './task.js';
import { addition } from './tasks/addition.js';
import { agreement } from './tasks/agreement.js';
import { dyck } from './tasks/dyck.js';
import { graphDfs } from './tasks/graph-dfs.js';
import { kHop } from './tasks/k-hop.js';
import { listops } from './tasks/listops.js';
import { topologicalSort } from './tasks/topological-sort.js';
import { variableBinding } from './tasks/variable-binding.js';

const TASKS: readonly Task[] = [addition, kHop, variableBinding, listops, dyck, agreement, graphDfs, topologicalSort];

/** All built-in tasks, in documentation order. */
export function listTasks(): readonly Task[] {
  return TASKS;
}

/** The task called `name`; throws a one-line error listing the valid names. */
export function getTask(name: string): Task {
  const t = TASKS.find((x) => x.name === name);
  if (!t) throw new AniraInputError(`unknown task "${name}"; valid tasks are ${TASKS.map((x) => x.name).join(', ')}`, { code: 'unknown-name' });
  return t;
}

/**
 * JSONL export: one example per line, schema documented in docs/tasks.md. NaN feature
 * values become `null`; token strings are included when the task is a built-in one.
 */
import type { Example } from './example.js';
import { IGNORE } from './example.js';
import { listTasks } from './registry.js';

const nanToNull = (col: readonly number[]): (number | null)[] => col.map((v) => (Number.isNaN(v) ? null : v));

function columns(group: Readonly<Record<string, readonly number[]>>): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(group)) out[k] = nanToNull(v);
  return out;
}

/** One JSON line (no trailing newline) for `example`. */
export function exampleToJsonl(example: Example): string {
  const task = listTasks().find((t) => t.name === example.meta.task);
  const record = {
    task: example.meta.task,
    seed: example.meta.seed,
    params: example.meta.params,
    size: example.size,
    input: example.input,
    target: example.target,
    loss_mask: example.target.map((t) => (t === IGNORE ? 0 : 1)),
    difficulty: example.difficulty,
    features: {
      static: columns(example.features.static),
      position: columns(example.features.position),
      dynamic: columns(example.features.dynamic),
    },
    tokens: task ? example.input.map((id) => task.vocab.token(id)) : null,
  };
  return JSON.stringify(record);
}

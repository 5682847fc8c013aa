/**
 * `model.summary()`: the model's parameters by block (embedding, positions, each
 * prelude layer, the shared block, the output head) with counts and the total,
 * as rows and as a printable table.
 */
import type { ModelConfig } from './config.js';

/** One block of the model. */
export interface SummaryRow {
  readonly block: string;
  /** Parameter tensors of the block. */
  readonly tensors: number;
  /** Scalar parameters of the block. */
  readonly parameters: number;
}

export interface ModelSummary {
  readonly rows: readonly SummaryRow[];
  /** Sum of every row's parameters (equals `parameterCount()`). */
  readonly total: number;
  /** The rows as an aligned text table, total last. */
  toString(): string;
}

/** Which block a parameter name (`embed`, `pos`, `prelude.i.*`, `shared.r.*`, `lnf.*`, `head*`) belongs to. */
function blockOf(name: string, config: ModelConfig): string {
  if (name === 'embed') return 'embedding';
  if (name === 'pos') return 'positions (learned)';
  const prelude = /^prelude\.(\d+)\./.exec(name);
  if (prelude) return `prelude layer ${prelude[1]}`;
  if (name.startsWith('shared.')) return `shared block (${config.sharedLayers} layer${config.sharedLayers === 1 ? '' : 's'}, looped up to ${config.tMax}x)`;
  if (name.startsWith('lnf.') || name.startsWith('head')) return 'output head (final LayerNorm + linear)';
  return name;
}

/** Parameters of `params` (name -> size) grouped by block, in model order. */
export function summarize(config: ModelConfig, params: Readonly<Record<string, { readonly size: number }>>): ModelSummary {
  const rows = new Map<string, { tensors: number; parameters: number }>();
  for (const [name, v] of Object.entries(params)) {
    const block = blockOf(name, config);
    const row = rows.get(block) ?? { tensors: 0, parameters: 0 };
    row.tensors++;
    row.parameters += v.size;
    rows.set(block, row);
  }
  const rank = (block: string) => ['embedding', 'positions', 'prelude', 'shared', 'output'].findIndex((k) => block.startsWith(k));
  const list = [...rows].map(([block, r]) => ({ block, ...r })).sort((a, b) => rank(a.block) - rank(b.block) || a.block.localeCompare(b.block, 'en', { numeric: true }));
  const total = list.reduce((n, r) => n + r.parameters, 0);
  return {
    rows: list,
    total,
    toString() {
      type Line = readonly [string, string, string];
      const header: Line = ['block', 'tensors', 'parameters'];
      const body = list.map((r): Line => [r.block, String(r.tensors), r.parameters.toLocaleString('en-US')]);
      const footer: Line = ['total', String(list.reduce((n, r) => n + r.tensors, 0)), total.toLocaleString('en-US')];
      const all = [header, ...body, footer];
      const width = (i: 0 | 1 | 2) => Math.max(...all.map((l) => l[i].length));
      const w = [width(0), width(1), width(2)] as const;
      const fmt = ([block, tensors, parameters]: Line) => `${block.padEnd(w[0])}  ${tensors.padStart(w[1])}  ${parameters.padStart(w[2])}`;
      return [fmt(header), ...body.map(fmt), '-'.repeat(w[0] + w[1] + w[2] + 4), fmt(footer)].join('\n');
    },
  };
}

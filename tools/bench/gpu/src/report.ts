/**
 * The GPU check's report: reads what gpu-check.sh left in the results folder
 * (`<part>.json`: the part's JSON line; `<part>.status`: "exit seconds"; PyTorch's
 * JSON lines as `torch-*.json`; the stacked-seeds timing as `seeds.json`) and writes
 * `results.json` (everything, by part) and `results.md` (the table: ours on
 * WebGPU beside PyTorch CUDA eager from the same run, then each part's status).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

function readJson(file: string): Json | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').trim().split('\n').filter((l) => l.startsWith('{'));
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  try {
    return JSON.parse(last) as Json;
  } catch {
    return undefined;
  }
}

const num = (v: unknown, digits = 0): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
const ratio = (a: unknown, b: unknown): string => (typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(3)}×` : '–');
const get = (o: Json | undefined, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Json | undefined)?.[k], o);

/** Write results.json and results.md into `dir`; returns the markdown. */
export function writeReport(dir: string): string {
  const parts: Record<string, Json | undefined> = {};
  const status: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.json') && f !== 'results.json') parts[f.slice(0, -5)] = readJson(join(dir, f));
    if (f.endsWith('.status')) status[f.slice(0, -7)] = readFileSync(join(dir, f), 'utf8').trim();
  }
  const adapter = get(parts['adapter'], 'adapter') ?? get(parts['w1w2'], 'adapter');
  const w = parts['w1w2'];
  const t = parts['torch-w1'];
  const rows: string[][] = [
    [`W1 training tokens/s (B ${num(get(w, 'w1.batch'))}, T ${num(get(w, 'w1.length'))}), read every ${num(get(w, 'w1.readEvery'))} updates`, `${num(get(w, 'w1.tokensPerSecond'))} (${num(get(w, 'w1.msPerUpdate'), 1)} ms per update)`, num(get(t, 'train_tok_s')), ratio(get(w, 'w1.tokensPerSecond'), get(t, 'train_tok_s'))],
    ['W1 ms per update, every update read (before)', num(get(w, 'w1.msPerUpdateReadEach'), 1), '', ''],
    ['W2 fixed depth tokens/s', num(get(w, 'w2.fixedTokensPerSecond')), num(get(t, 'infer_fixed_tok_s')), ratio(get(w, 'w2.fixedTokensPerSecond'), get(t, 'infer_fixed_tok_s'))],
    ['W2 adaptive tokens/s', num(get(w, 'w2.adaptiveTokensPerSecond')), num(get(t, 'infer_adaptive_tok_s')), ratio(get(w, 'w2.adaptiveTokensPerSecond'), get(t, 'infer_adaptive_tok_s'))],
    ['W2 adaptive/fixed time (ideal)', `${num(get(w, 'w2.timeRatio'), 2)} (${num(get(w, 'w2.idealRatio'), 3)})`, `${num(get(t, 'adaptive_time_ratio'), 2)} (${num(get(t, 'ideal_ratio'), 3)})`, ''],
  ];
  const batches = Object.keys(parts).filter((k) => /^paper-\d+$/.test(k)).map((k) => Number(k.slice(6))).sort((a, b) => a - b);
  for (const b of batches) {
    const p = parts[`paper-${b}`];
    const tp = parts[`torch-paper-${b}`];
    const length = get(p, 'length') ?? get(parts['paper-length'], 'length');
    const torchMs = typeof get(tp, 'train_tok_s') === 'number' && typeof length === 'number' ? (b * length * 1000) / (get(tp, 'train_tok_s') as number) : undefined;
    rows.push([`paper model on dyck, batch ${b}: ms per update (tokens/s); every update read`, `${num(get(p, 'msPerUpdate'), 1)} (${num(get(p, 'tokensPerSecond'))}); ${num(get(p, 'msPerUpdateReadEach'), 1)}`, `${num(torchMs, 1)} (${num(get(tp, 'train_tok_s'))})`, ratio(torchMs, get(p, 'msPerUpdate'))]);
  }
  const s = parts['seeds'];
  if (s) rows.push([`${num(get(s, 'k'))} stacked seeds vs ${num(get(s, 'k'))} sequential runs (${num(get(s, 'steps'))} updates each): wall s`, `${num(get(s, 'stackedS'), 1)} vs ${num(get(s, 'sequentialS'), 1)}`, '', ratio(get(s, 'sequentialS'), get(s, 'stackedS'))]);
  const counts: string[][] = [];
  const c = (label: string, o: unknown) => counts.push([label, num(get(o as Json, 'programs'), 1), num(get(o as Json, 'buffers'), 1), num(get(o as Json, 'reads'), 2)]);
  c('W1 per update (run, read every 10)', get(w, 'w1.perUpdate'));
  c('W1 per update (run, every update read)', get(w, 'w1.perUpdateReadEach'));
  c('W1 one trainStep call', get(w, 'counts.trainStep'));
  c('W2 one fixed-depth call', get(w, 'counts.inferFixed'));
  c('W2 one adaptive call', get(w, 'counts.inferAdaptive'));
  for (const b of batches) c(`paper batch ${b} per update`, get(parts[`paper-${b}`], 'perUpdate'));

  const table = (head: string[], body: string[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const md = [
    '# GPU check',
    '',
    `Adapter: ${String(adapter ?? 'unknown (the adapter part failed)')}. PyTorch: ${String(get(t, 'engine') ?? 'not run')}.`,
    '',
    table(['figure', 'ours, WebGPU', 'PyTorch eager', 'ratio (ours/PyTorch speed)'], rows),
    '',
    'PyTorch\'s paper-model row is torch_w1.py at the same d, T_max, batch and sequence length (no prelude layer).',
    '',
    table(['device work', 'GPU programs', 'GPU buffers created', 'device→host reads'], counts),
    '',
    table(['part', 'exit status and seconds'], Object.entries(status).map(([k, v]) => [k, v])),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify({ adapter: adapter ?? null, parts, status }, null, 2)}\n`);
  writeFileSync(join(dir, 'results.md'), md);
  return md;
}

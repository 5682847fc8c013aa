/**
 * listops: nested expressions such as `[MAX 3 [MIN 4 7 ] 2 ]` over digits with MAX,
 * MIN and SM (sum mod 10). The root always has height exactly `depth` (one child on a
 * spine of height depth-1, the others digits or, with probability 1/4, subtrees of a
 * random smaller height); each operator has 2..branching args. Tagging layout: the
 * target at each `]` is the value of the subexpression it closes; difficulty = height
 * of that subtree (an operator over digits only has height 1).
 */
import type { Rng } from '../example.js';
import { defineTask } from '../define-task.js';
import { need } from '../params.js';
import type { SequenceBuilder } from '../sequence-builder.js';
import type { Vocabulary } from '../vocabulary.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const OPS = ['[MAX', '[MIN', '[SM'];

export const listops = defineTask({
  name: 'listops',
  description: 'Evaluate nested MAX/MIN/SM (sum mod 10) lists; target at each closing bracket; difficulty = subtree height.',
  params: {
    depth: { default: 3, min: 1, max: 6, integer: true, description: 'Height of the expression tree (exact for the root).' },
    branching: { default: 3, min: 2, max: 5, integer: true, description: 'Most arguments of one operator (arity is uniform in [2, branching]).' },
  },
  sizeParam: 'depth',
  sizeDescription: 'Height of the expression tree (depth).',
  tokens: [...DIGITS, ...OPS, ']'],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['position', 'span', 'stack_depth'],
  features: [
    { name: 'op', group: 'static', kind: 'categorical', description: 'Operator closed here: 0 MAX, 1 MIN, 2 SM.' },
    { name: 'arity', group: 'static', kind: 'numeric', description: 'Number of arguments of the closed operator.' },
    { name: 'span', group: 'static', kind: 'numeric', description: 'Tokens in the closed subexpression, brackets included.' },
    { name: 'stack_depth', group: 'dynamic', kind: 'numeric', description: 'Operators still open after this one closes (evaluator stack size; 0 at the root).' },
  ],
  difficultyRange: (p) => [1, need(p, 'depth')],
  maxLength(p) {
    const d = need(p, 'depth');
    const br = need(p, 'branching');
    const leaves = br ** d;
    const internal = (leaves - 1) / (br - 1);
    return 2 * internal + leaves;
  },
  generate(p, rng, b, vocab) {
    emit(need(p, 'depth'), need(p, 'branching'), 0, rng, b, vocab);
  },
});

/** Emits a subtree of exact height `h` at nesting `level`; returns its value. */
function emit(h: number, br: number, level: number, rng: Rng, b: SequenceBuilder, vocab: Vocabulary): number {
  if (h === 0) {
    const v = rng.int(0, 9);
    b.push(vocab.id('0') + v);
    return v;
  }
  const start = b.input.length;
  const op = rng.int(0, 2);
  const arity = rng.int(2, br);
  const spine = rng.int(0, arity - 1);
  b.push(vocab.id('[MAX') + op);
  let acc = op === 0 ? -1 : op === 1 ? 10 : 0;
  for (let i = 0; i < arity; i++) {
    const ch = i === spine ? h - 1 : h > 1 && rng.float() < 0.25 ? rng.int(1, h - 1) : 0;
    const v = emit(ch, br, level + 1, rng, b, vocab);
    acc = op === 0 ? Math.max(acc, v) : op === 1 ? Math.min(acc, v) : (acc + v) % 10;
  }
  const span = b.input.length - start + 1;
  b.pushLabelled(vocab.id(']'), vocab.id('0') + acc, h, { op, arity, span, stack_depth: level });
  return acc;
}

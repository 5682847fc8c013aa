/**
 * dyck: a random well-formed Dyck-(types, depth) string of exactly `length` brackets
 * (a random walk that opens with probability 1/2 when both moves are legal, never
 * exceeds `depth` open brackets and always closes in time). Tagging layout: the target
 * at every position i is the closer of the innermost bracket still open after reading
 * token i, or `∅` when none is open. Difficulty = nesting depth after token i (open
 * brackets); the distance back to the matching opener is the `distance` feature.
 */
import { present } from '../checked.js';
import { AniraInputError } from '../errors.js';
import { defineTask } from '../define-task.js';
import { need } from '../params.js';

const OPEN = ['(', '[', '{', '<'];
const CLOSE = [')', ']', '}', '>'];

export const dyck = defineTask({
  name: 'dyck',
  description: 'Predict the closer of the innermost open bracket of a Dyck prefix; difficulty = nesting depth.',
  params: {
    types: { default: 2, min: 1, max: 4, integer: true, description: 'Bracket types k.' },
    depth: { default: 4, min: 1, max: 16, integer: true, description: 'Maximum nesting depth m.' },
    length: { default: 16, min: 2, max: 64, integer: true, description: 'String length (even).' },
  },
  sizeParam: 'length',
  sizeDescription: 'String length in brackets.',
  tokens: [...OPEN, ...CLOSE, '∅'],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['distance', 'top_type'],
  features: [
    { name: 'distance', group: 'dynamic', kind: 'numeric', description: 'i minus the position of the innermost open bracket (NaN when none is open).' },
    { name: 'top_type', group: 'dynamic', kind: 'categorical', description: 'Type index of the innermost open bracket (NaN when none is open).' },
  ],
  difficultyRange: (p) => [0, Math.min(need(p, 'depth'), need(p, 'length') / 2)],
  maxLength: (p) => need(p, 'length'),
  check(p) {
    const len = need(p, 'length');
    if (len % 2 !== 0) throw new AniraInputError(`dyck: param "length" must be an even integer in [2, 64], got ${len}`);
  },
  generate(p, rng, b, vocab) {
    const types = need(p, 'types');
    const depth = need(p, 'depth');
    const len = need(p, 'length');
    const open0 = vocab.id('(');
    const close0 = vocab.id(')');
    const empty = vocab.id('∅');
    // open brackets: type and position
    const stack: { type: number; pos: number }[] = [];
    for (let i = 0; i < len; i++) {
      const open = stack.length;
      const remaining = len - i;
      const mustClose = open === depth || open === remaining;
      const doOpen = open === 0 || (!mustClose && rng.int(0, 1) === 1);
      let tok: number;
      if (doOpen) {
        const t = rng.int(0, types - 1);
        stack.push({ type: t, pos: i });
        tok = open0 + t;
      } else {
        tok = close0 + present(stack.pop(), 'dyck: an open bracket to close').type;
      }
      const h = stack.length;
      const top = stack.at(-1);
      if (top === undefined) {
        b.pushLabelled(tok, empty, 0, { distance: NaN, top_type: NaN });
      } else {
        b.pushLabelled(tok, close0 + top.type, h, { distance: i - top.pos, top_type: top.type });
      }
    }
  },
});

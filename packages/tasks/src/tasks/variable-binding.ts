/**
 * variable-binding: chains of assignments `v1 = 7 ; v2 = v1 ; v3 = v2 ;` (one per
 * chain, 1 + distractors chains, each of length uniform in [1, depth], distinct
 * variable names), all statements shuffled together, then queries `? v =` whose
 * answer is the digit the variable resolves to. Difficulty = hops of indirection:
 * 1 for a variable assigned a digit directly, 1 + hops(w) for `v = w`.
 */
import { AniraInputError } from '../errors.js';
import { at } from '../checked.js';
import { defineTask } from '../define-task.js';
import { need } from '../params.js';
import { permutation, shuffleInPlace } from '../shuffle.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const variableBinding = defineTask({
  name: 'variable-binding',
  description: 'Resolve a variable through chains of assignments; difficulty = hops of indirection.',
  params: {
    depth: { default: 3, min: 1, max: 8, integer: true, description: 'Longest assignment chain (chain lengths are uniform in [1, depth]).' },
    distractors: { default: 1, min: 0, max: 4, integer: true, description: 'Chains besides the first (queries pick any chain).' },
    variables: { default: 10, min: 1, max: 26, integer: true, description: 'Size of the variable-name pool (first letters a..z); needs >= (distractors + 1) * depth.' },
    queries: { default: 2, min: 1, max: 4, integer: true, description: 'Queries per example.' },
  },
  sizeParam: 'depth',
  sizeDescription: 'Longest assignment chain (depth).',
  tokens: [...LETTERS, ...DIGITS, '=', ';', '?'],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['position', 'size', 'statements', 'chain_length'],
  features: [
    { name: 'statements', group: 'static', kind: 'numeric', description: 'Number of statements in the prompt.' },
    { name: 'chain_length', group: 'static', kind: 'numeric', description: 'Length of the chain the queried variable belongs to.' },
    { name: 'forward_refs', group: 'dynamic', kind: 'numeric', description: 'Hops on the resolution path whose referenced statement comes later in the prompt.' },
  ],
  difficultyRange: (p) => [1, need(p, 'depth')],
  maxLength: (p) => 4 * (need(p, 'distractors') + 1) * need(p, 'depth') + 4 * need(p, 'queries'),
  check(p) {
    const need_ = (need(p, 'distractors') + 1) * need(p, 'depth');
    if (need(p, 'variables') < need_) {
      throw new AniraInputError(`variable-binding: param "variables" must be an integer in [${need_}, 26] when (distractors + 1) * depth = ${need_}, got ${need(p, 'variables')}`);
    }
  },
  generate(p, rng, b, vocab) {
    const depth = need(p, 'depth');
    const chains = need(p, 'distractors') + 1;
    const letter0 = vocab.id('a');
    const digit0 = vocab.id('0');
    const names = permutation(need(p, 'variables'), rng);
    // Statement s: variable lhs = (rhsVar >= 0 ? variable rhsVar : digit value); `place`
    // is its line in the shuffled program.
    const statements: { lhs: number; rhsVar: number; value: number; place: number }[] = [];
    const chainOf: number[][] = [];
    let next = 0;
    for (let c = 0; c < chains; c++) {
      const len = rng.int(1, depth);
      const v = rng.int(0, 9);
      const members: number[] = [];
      for (let h = 0; h < len; h++) {
        members.push(statements.length);
        const lhs = at(names, next++);
        statements.push({ lhs, rhsVar: h === 0 ? -1 : at(names, next - 2), value: v, place: 0 });
      }
      chainOf.push(members);
    }
    const order = shuffleInPlace(statements.map((_, s) => s), rng);
    order.forEach((s, i) => (at(statements, s).place = i));
    for (const s of order) {
      const { lhs, rhsVar, value } = at(statements, s);
      b.push(letter0 + lhs);
      b.push(vocab.id('='));
      b.push(rhsVar >= 0 ? letter0 + rhsVar : digit0 + value);
      b.push(vocab.id(';'));
    }
    const q = need(p, 'queries');
    for (let i = 0; i < q; i++) {
      const members = at(chainOf, rng.int(0, chains - 1)).map((s) => at(statements, s));
      const hop = rng.int(0, members.length - 1);
      let forward = 0;
      for (let h = hop; h > 0; h--) if (at(members, h - 1).place > at(members, h).place) forward++;
      const { lhs, value } = at(members, hop);
      b.push(vocab.id('?'));
      b.push(letter0 + lhs);
      b.push(vocab.id('='));
      b.answer(digit0 + value, hop + 1, { statements: statements.length, chain_length: members.length, forward_refs: forward });
    }
  },
});

/**
 * addition: `a + b =` with fixed-width operands written most-significant digit first,
 * then the sum (digits + 1 output digits, the top one being the carry-out) emitted in
 * the order the `order` knob names: `lsd` (default) least-significant digit first, or
 * `msd` most-significant first (the carry-out digit, then columns d-1..0). Difficulty of
 * the output digit of column j = length of the carry chain that reaches column j: 0
 * without a carry in, 1 if column j-1 generates it (digit sum >= 10), 1 + chain(j-1) if
 * column j-1 only propagates it (digit sum 9). Under `lsd` and teacher forcing the carry
 * into j follows in one step from visible tokens (a_{j-1} + b_{j-1} >= digit_{j-1} + 9);
 * under `msd` the digits below j are not yet emitted, so the chain is genuine work.
 * `balance=carries` samples the number of carry-producing columns uniformly in [0, d]
 * (which columns uniformly too) and then each column's digits given its carry in and the
 * carry out it must produce (Lee et al. 2023, arXiv 2307.03381: most-significant-first
 * addition needs far more samples unless carries are balanced); `none` (default) draws
 * every digit uniformly.
 */
import { at } from '../checked.js';
import { defineTask } from '../define-task.js';
import { need } from '../params.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Output orders of the `order` knob (its resolved value indexes this list). */
export const ADDITION_ORDERS = ['lsd', 'msd'] as const;
/** Operand sampling of the `balance` knob. */
export const ADDITION_BALANCE = ['none', 'carries'] as const;

export const addition = defineTask({
  name: 'addition',
  description: 'Multi-digit addition, answer least- (order=lsd) or most-significant digit first (order=msd); difficulty = carry-chain length.',
  params: {
    digits: { default: 3, min: 1, max: 20, integer: true, description: 'Digits per operand (zero-padded, fixed width).' },
    order: {
      default: 0, min: 0, max: 1, integer: true, choices: ADDITION_ORDERS,
      description: 'Output order of the sum: lsd (least-significant digit first) or msd (carry-out digit first, then columns d-1..0).',
    },
    balance: {
      default: 0, min: 0, max: 1, integer: true, choices: ADDITION_BALANCE,
      description: 'Operand sampling: none (uniform digits) or carries (number of carry columns uniform in [0, digits]).',
    },
  },
  sizeParam: 'digits',
  sizeDescription: 'Digits per operand.',
  tokens: [...DIGITS, '+', '='],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['position', 'column'],
  features: [
    { name: 'column', group: 'position', kind: 'numeric', description: 'Output column j (0 = units); fixed by the answer index and the order.' },
    { name: 'digit_sum', group: 'static', kind: 'numeric', description: 'a_j + b_j without carry (0 for the carry-out column).' },
  ],
  difficultyRange: (p) => [0, need(p, 'digits')],
  maxLength: (p) => 3 * need(p, 'digits') + 3,
  generate(p, rng, b, vocab) {
    const d = need(p, 'digits');
    const msd = need(p, 'order') === 1;
    const digit0 = vocab.id('0');
    const a: number[] = [];
    const c: number[] = [];
    if (need(p, 'balance') === 1) {
      // k carry columns, chosen uniformly; then each column's digits given carry in and out
      const k = rng.int(0, d);
      const cols = Array.from({ length: d }, (_, j) => j);
      for (let i = 0; i < k; i++) {
        const r = rng.int(i, d - 1);
        [cols[i], cols[r]] = [at(cols, r), at(cols, i)];
      }
      const carries = new Set(cols.slice(0, k));
      let cin = 0;
      for (let j = 0; j < d; j++) {
        const want = carries.has(j) ? 1 : 0;
        let x: number, y: number;
        do {
          x = rng.int(0, 9);
          y = rng.int(0, 9);
        } while ((x + y + cin >= 10 ? 1 : 0) !== want); // accepts at least 45 of 100 pairs
        a.push(x);
        c.push(y);
        cin = want;
      }
    } else {
      for (let j = 0; j < d; j++) a.push(rng.int(0, 9));
      for (let j = 0; j < d; j++) c.push(rng.int(0, 9));
    }
    // operands most significant digit first; a and c hold them units first
    for (const x of a.slice().reverse()) b.push(digit0 + x);
    b.push(vocab.id('+'));
    for (const y of c.slice().reverse()) b.push(digit0 + y);
    b.push(vocab.id('='));
    // Column j: output digit, carry-chain length into j, digit sum; computed units first.
    const columns: { column: number; digit: number; chainIn: number; sum: number }[] = [];
    let carry = 0;
    let chain = 0;
    for (let j = 0; j <= d; j++) {
      const s = j < d ? at(a, j) + at(c, j) : 0;
      columns.push({ column: j, digit: (s + carry) % 10, chainIn: chain, sum: s });
      const next = s + carry >= 10 ? 1 : 0;
      chain = next === 0 ? 0 : s >= 10 ? 1 : chain + 1;
      carry = next;
    }
    for (const col of msd ? columns.slice().reverse() : columns) {
      b.answer(digit0 + col.digit, col.chainIn, { column: col.column, digit_sum: col.sum });
    }
  },
});

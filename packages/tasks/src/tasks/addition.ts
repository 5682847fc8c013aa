/**
 * addition: `a + b =` with fixed-width operands written most-significant digit first,
 * then the sum emitted least-significant digit first (digits + 1 output digits, the
 * last being the carry-out). Difficulty of output digit j = length of the carry chain
 * that reaches column j: 0 without a carry in, 1 if column j-1 generates it (digit sum
 * >= 10), 1 + chain(j-1) if column j-1 only propagates it (digit sum 9).
 */
import { defineTask } from '../define-task.js';
import { need } from '../params.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const addition = defineTask({
  name: 'addition',
  description: 'Multi-digit addition, answer least-significant digit first; difficulty = carry-chain length.',
  params: {
    digits: { default: 3, min: 1, max: 20, integer: true, description: 'Digits per operand (zero-padded, fixed width).' },
  },
  sizeParam: 'digits',
  sizeDescription: 'Digits per operand.',
  tokens: [...DIGITS, '+', '='],
  features: [
    { name: 'column', group: 'static', kind: 'numeric', description: 'Output column j (0 = units).' },
    { name: 'digit_sum', group: 'static', kind: 'numeric', description: 'a_j + b_j without carry (0 for the carry-out column).' },
    { name: 'carry_in', group: 'dynamic', kind: 'categorical', description: 'Carry into column j (0 or 1).' },
  ],
  difficultyRange: (p) => [0, need(p, 'digits')],
  maxLength: (p) => 3 * need(p, 'digits') + 3,
  generate(p, rng, b, vocab) {
    const d = need(p, 'digits');
    const digit0 = vocab.id('0');
    const a: number[] = [];
    const c: number[] = [];
    for (let j = 0; j < d; j++) a.push(rng.int(0, 9));
    for (let j = 0; j < d; j++) c.push(rng.int(0, 9));
    for (let j = d - 1; j >= 0; j--) b.push(digit0 + a[j]!);
    b.push(vocab.id('+'));
    for (let j = d - 1; j >= 0; j--) b.push(digit0 + c[j]!);
    b.push(vocab.id('='));
    let carry = 0;
    let chain = 0;
    for (let j = 0; j <= d; j++) {
      const s = j < d ? a[j]! + c[j]! : 0;
      b.answer(digit0 + ((s + carry) % 10), chain, { column: j, digit_sum: s, carry_in: carry });
      const out = s + carry >= 10 ? 1 : 0;
      chain = out === 0 ? 0 : s >= 10 ? 1 : chain + 1;
      carry = out;
    }
  },
});

/**
 * addition vs independent oracles: for `lsd` a BigInt sum with carry chains from
 * truncated column sums; for `msd` a BigInt sum read most-significant first with chains
 * from a downward scan over the columns. Also the one-step-carry fact that makes the
 * `lsd` label not per-token work, and its failure under `msd`.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { parseRendered } from '../render.js';
import { checkAgainstOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { addition } from './addition.js';

/** Operand strings (most-significant first) and the `=` index of a rendered prompt. */
function operands(tokens: readonly string[]): { aStr: string; bStr: string; eq: number } {
  const plus = tokens.indexOf('+');
  const eq = tokens.indexOf('=');
  return { aStr: tokens.slice(0, plus).join(''), bStr: tokens.slice(plus + 1, eq).join(''), eq };
}

/** lsd: output k is column k; chain = fewest top columns below j whose truncated sum overflows. */
function lsdOracle(tokens: readonly string[]): Map<number, OracleLabel> {
  const { aStr, bStr, eq } = operands(tokens);
  const d = aStr.length;
  const a = BigInt(aStr);
  const b = BigInt(bStr);
  const sum = (a + b).toString().padStart(d + 1, '0').split('').reverse();
  const out = new Map<number, OracleLabel>();
  for (let j = 0; j <= d; j++) {
    const pj = 10n ** BigInt(j);
    const carry = a % pj + b % pj >= pj;
    let chain = 0;
    if (carry) {
      // Smallest t such that the top t columns below j alone already overflow.
      for (let t = 1; t <= j; t++) {
        const pt = 10n ** BigInt(j - t);
        if ((a % pj) / pt + (b % pj) / pt >= 10n ** BigInt(t)) {
          chain = t;
          break;
        }
      }
    }
    const digitSum = j < d ? Number(aStr[d - 1 - j]) + Number(bStr[d - 1 - j]) : 0;
    out.set(eq + j, { target: sum[j]!, difficulty: chain, features: { column: j, digit_sum: digitSum, size: d } });
  }
  return out;
}

/**
 * msd: output k is column d - k, the sum string as BigInt prints it (zero-padded to d + 1).
 * Chain into j: scan columns j-1, j-2, ... down; a 9 propagates, >= 10 generates (chain =
 * columns scanned), anything else stops the chain at 0. The carry itself comes from
 * BigInt truncation and must agree with the scan.
 */
function msdOracle(tokens: readonly string[]): Map<number, OracleLabel> {
  const { aStr, bStr, eq } = operands(tokens);
  const d = aStr.length;
  const a = BigInt(aStr);
  const b = BigInt(bStr);
  const sum = (a + b).toString().padStart(d + 1, '0');
  const col = (j: number) => Number(aStr[d - 1 - j]) + Number(bStr[d - 1 - j]);
  const out = new Map<number, OracleLabel>();
  for (let k = 0; k <= d; k++) {
    const j = d - k;
    let chain = 0;
    for (let i = j - 1; i >= 0; i--) {
      if (col(i) >= 10) {
        chain = j - i;
        break;
      }
      if (col(i) !== 9) break;
    }
    const pj = 10n ** BigInt(j);
    expect(chain > 0).toBe(a % pj + b % pj >= pj);
    out.set(eq + k, { target: sum[k]!, difficulty: chain, features: { column: j, digit_sum: j < d ? col(j) : 0, size: d } });
  }
  return out;
}

const oracle = (tokens: readonly string[], params: Readonly<Record<string, number>>) =>
  (params.order === 1 ? msdOracle : lsdOracle)(tokens);

/** Rendered tokens, input digits and answer-token labels of one example. */
function answerTokens(params: Readonly<Record<string, number | string>>, seed: number) {
  const ex = generateExample(addition, params, seed);
  const tokens = parseRendered(addition.render(ex)).map((p) => p.token);
  const { aStr, bStr, eq } = operands(tokens);
  return { ex, tokens, aStr, bStr, eq, d: aStr.length };
}

describe('addition', () => {
  test('matches the BigInt oracles (both orders)', () => checkAgainstOracle(addition, oracle, 300));

  test('msd matches its oracle for any digits and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 0x7fffffff }), (digits, seed) => {
        const { ex, tokens } = answerTokens({ digits, order: 'msd' }, seed);
        const want = msdOracle(tokens);
        expect(want.size).toBe(digits + 1);
        for (const [i, w] of want) {
          expect(ex.target[i]).toBe(addition.vocab.id(w.target));
          expect(ex.difficulty[i]).toBe(w.difficulty);
          expect(ex.features.position.column![i]).toBe(w.features.column);
          expect(ex.features.static.digit_sum![i]).toBe(w.features.digit_sum);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('hand-computed: 0999 + 0001 has a carry chain of length 3 into column 3', () => {
    const tokens = '0 9 9 9 + 0 0 0 1 ='.split(' ');
    expect([...lsdOracle(tokens).values()].map((w) => w.difficulty)).toEqual([0, 1, 2, 3, 0]);
    expect([...lsdOracle(tokens).values()].map((w) => w.target).join('')).toEqual('00010');
    expect([...msdOracle(tokens).values()].map((w) => w.difficulty)).toEqual([0, 3, 2, 1, 0]);
    expect([...msdOracle(tokens).values()].map((w) => w.target).join('')).toEqual('01000');
  });

  test('regression seed 12345 (lsd default, msd)', () => {
    expect(addition.render(generateExample(addition, {}, 12345))).toMatchInlineSnapshot(`"6 0 2 + 3 7 5 =⟨7|0⟩ 7⟨7|0⟩ 7⟨9|0⟩ 9⟨0|0⟩ 0"`);
    expect(addition.render(generateExample(addition, { order: 'msd' }, 12345))).toBe('6 0 2 + 3 7 5 =⟨0|0⟩ 0⟨9|0⟩ 9⟨7|0⟩ 7⟨7|0⟩ 7');
  });

  test('lsd examples are unchanged by the order knob (renders pinned before it existed)', () => {
    expect(addition.render(generateExample(addition, { digits: 6 }, 7))).toBe(
      '6 3 9 5 0 0 + 5 0 0 2 1 0 =⟨0|0⟩ 0⟨1|0⟩ 1⟨7|0⟩ 7⟨9|0⟩ 9⟨3|0⟩ 3⟨1|0⟩ 1⟨1|1⟩ 1');
    expect(addition.render(generateExample(addition, { digits: 12, order: 'lsd' }, 2024))).toBe(
      '2 0 6 2 0 0 0 6 3 8 7 3 + 1 4 4 1 8 1 9 4 0 0 7 7 =⟨0|0⟩ 0⟨5|1⟩ 5⟨9|1⟩ 9⟨3|0⟩ 3⟨0|0⟩ 0⟨0|1⟩ 0⟨2|2⟩ 2⟨8|0⟩ 8⟨3|0⟩ 3⟨0|0⟩ 0⟨5|1⟩ 5⟨3|0⟩ 3⟨0|0⟩ 0');
    expect(generateExample(addition, { digits: 6, order: 0 }, 7)).toEqual(generateExample(addition, { digits: 6 }, 7));
  });

  test('lsd: the carry into column j is a function of visible a_{j-1}, b_{j-1} and emitted digit_{j-1}', () => {
    const rule = new Map<string, boolean>();
    let checked = 0;
    for (let seed = 0; seed < 600; seed++) {
      const { ex, tokens, aStr, bStr, eq, d } = answerTokens({ digits: 1 + (seed % 8) }, seed);
      for (let j = 1; j <= d; j++) {
        const carry = ex.difficulty[eq + j]! > 0;
        const x = Number(aStr[d - j]);
        const y = Number(bStr[d - j]);
        const prev = Number(tokens[eq + j]); // digit of column j-1, already in the input at position eq + j
        expect(carry).toBe(x + y >= prev + 9);
        const key = `${x},${y},${prev}`;
        expect(rule.get(key) ?? carry).toBe(carry);
        rule.set(key, carry);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  test('msd: the digits emitted before a token do not determine its carry', () => {
    // Hand pair, column 2 of 3 digits: 045 + 054 = 099 and 045 + 055 = 100 both emit carry-out
    // digit 0 first and share a_1 = 4, b_1 = 5, yet the carry into column 2 is 0 vs 1.
    const hand = ['0 4 5 + 0 5 4 =', '0 4 5 + 0 5 5 ='].map((p) => msdOracle(p.split(' ')).get(8)!.difficulty > 0);
    expect(hand).toEqual([false, true]);
    // And among generated examples: same (a_{j-1}, b_{j-1}, digits emitted so far), both carries.
    const seen = new Map<string, boolean>();
    let counterexample = false;
    for (let seed = 0; seed < 2000 && !counterexample; seed++) {
      const { ex, tokens, aStr, bStr, eq, d } = answerTokens({ digits: 3, order: 'msd' }, seed);
      for (let k = 1; k < d; k++) {
        const j = d - k;
        const carry = ex.difficulty[eq + k]! > 0;
        const key = `${j}:${aStr[d - j]},${bStr[d - j]}:${tokens.slice(eq + 1, eq + 1 + k).join('')}`;
        if (seen.has(key) && seen.get(key) !== carry) counterexample = true;
        seen.set(key, carry);
      }
    }
    expect(counterexample).toBe(true);
  });
});

describe('addition balance=carries', () => {
  /** Carry-producing columns of an example, from its operands (read back from the input). */
  const carryColumns = (seed: number, balance: 'none' | 'carries') => {
    const ex = generateExample(addition, { digits: 4, balance }, seed);
    const zero = addition.vocab.id('0'); // ids of '0'..'9' are consecutive
    const a = ex.input.slice(0, 4).map((id) => id - zero); // most-significant first
    const b = ex.input.slice(5, 9).map((id) => id - zero);
    let carry = 0, n = 0;
    for (let j = 3; j >= 0; j--) {
      carry = a[j]! + b[j]! + carry >= 10 ? 1 : 0;
      n += carry;
    }
    return n;
  };

  test('the number of carry columns is about uniform on 0..digits (and skewed to few without it)', () => {
    const hist = (balance: 'none' | 'carries') => {
      const h = [0, 0, 0, 0, 0];
      for (let s = 0; s < 2000; s++) h[carryColumns(s, balance)]! += 1;
      return h.map((x) => x / 2000);
    };
    const balanced = hist('carries');
    // uniform: 0.2 each, binomial sd 0.009 at n = 2000
    for (const share of balanced) expect(Math.abs(share - 0.2)).toBeLessThan(0.04);
    // uniform digits: four carries in a row about 0.45 * 0.55^3 = 0.075
    const plain = hist('none');
    expect(plain[4]!).toBeLessThan(0.1);
  });
});


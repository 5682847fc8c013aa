/** addition vs a BigInt oracle; carry chains from truncated column sums. */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { addition } from './addition.js';

function oracle(tokens: readonly string[]): Map<number, OracleLabel> {
  const plus = tokens.indexOf('+');
  const eq = tokens.indexOf('=');
  const aStr = tokens.slice(0, plus).join('');
  const bStr = tokens.slice(plus + 1, eq).join('');
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
    out.set(eq + j, { target: sum[j]!, difficulty: chain, features: { column: j, digit_sum: digitSum, carry_in: carry ? 1 : 0, size: d } });
  }
  return out;
}

describe('addition', () => {
  test('matches the BigInt oracle', () => checkAgainstOracle(addition, oracle, 200));

  test('hand-computed: 0999 + 0001 has a carry chain of length 3 into column 3', () => {
    const tokens = '0 9 9 9 + 0 0 0 1 ='.split(' ');
    const want = oracle(tokens);
    expect([...want.values()].map((w) => w.difficulty)).toEqual([0, 1, 2, 3, 0]);
    expect([...want.values()].map((w) => w.target).join('')).toEqual('00010');
  });

  test('regression seed 12345', () => {
    expect(addition.render(generateExample(addition, {}, 12345))).toMatchInlineSnapshot(`"6 0 2 + 3 7 5 =⟨7|0⟩ 7⟨7|0⟩ 7⟨9|0⟩ 9⟨0|0⟩ 0"`);
  });
});

/** dyck vs a backward-scan oracle (innermost unmatched opener of each prefix). */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { dyck } from './dyck.js';

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };
const TYPES = ['(', '[', '{', '<'];

function oracle(tokens: readonly string[], params: Readonly<Record<string, number>>): Map<number, OracleLabel> {
  expect(tokens.length).toBe(params.length);
  const out = new Map<number, OracleLabel>();
  for (let i = 0; i < tokens.length; i++) {
    const prefix = tokens.slice(0, i + 1);
    const depth = prefix.filter((t) => t in PAIRS).length - prefix.filter((t) => !(t in PAIRS)).length;
    expect(depth).toBeGreaterThanOrEqual(0);
    expect(depth).toBeLessThanOrEqual(params.depth!);
    expect(TYPES.slice(0, params.types).includes(tokens[i]!) || Object.values(PAIRS).slice(0, params.types).includes(tokens[i]!)).toBe(true);
    let bal = 0;
    let j = i;
    for (; j >= 0; j--) {
      const t = tokens[j]!;
      if (!(t in PAIRS)) bal++;
      else if (bal === 0) break;
      else {
        expect(PAIRS[t]).toBeDefined();
        bal--;
      }
    }
    out.set(
      i,
      j < 0
        ? { target: '∅', difficulty: 0, features: { distance: NaN, top_type: NaN } }
        : { target: PAIRS[tokens[j]!]!, difficulty: depth, features: { distance: i - j, top_type: TYPES.indexOf(tokens[j]!) } },
    );
  }
  // Well-formed: a stack check, independent of the scan above.
  const stack: string[] = [];
  for (const t of tokens) if (t in PAIRS) stack.push(PAIRS[t]!); else expect(stack.pop()).toBe(t);
  expect(stack).toEqual([]);
  return out;
}

describe('dyck', () => {
  test('matches the backward-scan oracle', () => checkAgainstOracle(dyck, oracle, 200));
  test('odd length is rejected', () => {
    expect(() => dyck.resolveParams({ length: 15 })).toThrow(/param "length" must be an even integer in \[2, 64\], got 15/);
  });
  test('regression seed 12345', () => {
    expect(dyck.render(generateExample(dyck, {}, 12345))).toMatchInlineSnapshot(`"(⟨)|1⟩ )⟨∅|0⟩ (⟨)|1⟩ [⟨]|2⟩ (⟨)|3⟩ (⟨)|4⟩ )⟨)|3⟩ )⟨]|2⟩ (⟨)|3⟩ )⟨]|2⟩ ]⟨)|1⟩ (⟨)|2⟩ (⟨)|3⟩ )⟨)|2⟩ )⟨)|1⟩ )⟨∅|0⟩"`);
  });
});

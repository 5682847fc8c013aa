/** variable-binding vs a recursive resolver over the parsed statements. */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { variableBinding } from './variable-binding.js';

function oracle(tokens: readonly string[]): Map<number, OracleLabel> {
  const rhs = new Map<string, string>();
  const index = new Map<string, number>();
  let i = 0;
  while (tokens[i] !== '?') {
    expect(tokens[i + 1]).toBe('=');
    expect(rhs.has(tokens[i]!)).toBe(false);
    index.set(tokens[i]!, index.size);
    rhs.set(tokens[i]!, tokens[i + 2]!);
    i += 4;
  }
  const resolve = (v: string): { value: string; hops: number; root: string; forward: number } => {
    const r = rhs.get(v)!;
    if (/^\d$/.test(r)) return { value: r, hops: 1, root: v, forward: 0 };
    const inner = resolve(r);
    return { ...inner, hops: inner.hops + 1, forward: inner.forward + (index.get(r)! > index.get(v)! ? 1 : 0) };
  };
  const out = new Map<number, OracleLabel>();
  for (; i < tokens.length; i += 4) {
    const r = resolve(tokens[i + 1]!);
    const chain = [...rhs.keys()].filter((v) => resolve(v).root === r.root).length;
    out.set(i + 2, { target: r.value, difficulty: r.hops, features: { statements: rhs.size, chain_length: chain, forward_refs: r.forward } });
  }
  return out;
}

describe('variable-binding', () => {
  test('matches the recursive resolver', () => checkAgainstOracle(variableBinding, oracle, 200));
  test('rejects a name pool too small for the chains', () => {
    expect(() => variableBinding.resolveParams({ depth: 4, distractors: 2, variables: 11 })).toThrow(
      /param "variables" must be an integer in \[12, 26\]/,
    );
  });
  test('regression seed 12345', () => {
    expect(variableBinding.render(generateExample(variableBinding, {}, 12345))).toMatchInlineSnapshot(`"e = 1 ; a = e ; f = 2 ; ? a =⟨1|2⟩ 1 ? e =⟨1|1⟩ 1"`);
  });
});

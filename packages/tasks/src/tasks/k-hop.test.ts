/** k-hop vs a recursive oracle over the parsed pair list. */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { kHop } from './k-hop.js';

function oracle(tokens: readonly string[], params: Readonly<Record<string, number>>): Map<number, OracleLabel> {
  const firstQuery = tokens.indexOf(';');
  const f = new Map<string, string>();
  for (let i = 0; i < firstQuery; i += 2) f.set(tokens[i]!, tokens[i + 1]!);
  expect(f.size).toBe(params.domain);
  expect(new Set(f.values()).size).toBe(params.domain); // a permutation
  const hop = (x: string, k: number): string => (k === 0 ? x : hop(f.get(x)!, k - 1));
  const out = new Map<number, OracleLabel>();
  for (let i = firstQuery; i < tokens.length; i += 5) {
    const x = tokens[i + 1]!;
    const k = Number(tokens[i + 2]!.slice(1));
    const orbit = new Set<string>();
    for (let z = x; !orbit.has(z); z = f.get(z)!) orbit.add(z);
    let eff = 1;
    while (hop(x, eff) !== hop(x, k)) eff++;
    out.set(i + 3, { target: hop(x, k), difficulty: k, features: { cycle_length: orbit.size, effective_hops: eff, domain: params.domain! } });
  }
  return out;
}

describe('k-hop', () => {
  test('matches the recursive oracle', () => checkAgainstOracle(kHop, oracle, 200));
  test('regression seed 12345', () => {
    expect(kHop.render(generateExample(kHop, {}, 12345))).toMatchInlineSnapshot(`"2 3 0 5 1 1 4 0 5 4 3 2 ; 5 k1 =⟨4|1⟩ 4 ; 4 k3 =⟨4|3⟩ 4"`);
  });
});

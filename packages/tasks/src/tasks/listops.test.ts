/** listops vs a recursive-descent evaluator. */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { listops } from './listops.js';

const OPS: Record<string, number> = { '[MAX': 0, '[MIN': 1, '[SM': 2 };

function oracle(tokens: readonly string[], params: Readonly<Record<string, number>>): Map<number, OracleLabel> {
  const out = new Map<number, OracleLabel>();
  // Returns [value, height, next index].
  const parse = (i: number, level: number): [number, number, number] => {
    const t = tokens[i]!;
    if (/^\d$/.test(t)) return [Number(t), 0, i + 1];
    const op = OPS[t]!;
    expect(op).toBeDefined();
    const vals: number[] = [];
    let height = 0;
    let j = i + 1;
    while (tokens[j] !== ']') {
      const [v, h, next] = parse(j, level + 1);
      vals.push(v);
      height = Math.max(height, h + 1);
      j = next;
    }
    const value = op === 0 ? Math.max(...vals) : op === 1 ? Math.min(...vals) : vals.reduce((a, b) => a + b, 0) % 10;
    out.set(j, { target: String(value), difficulty: height, features: { op, arity: vals.length, span: j - i + 1, stack_depth: level } });
    return [value, height, j + 1];
  };
  const [, h, end] = parse(0, 0);
  expect(end).toBe(tokens.length);
  expect(h).toBe(params.depth);
  return out;
}

describe('listops', () => {
  test('matches the recursive evaluator', () => checkAgainstOracle(listops, oracle, 200));
  test('hand-computed example', () => {
    const m = oracle('[MAX 3 [MIN 4 7 ] 2 ]'.split(' '), { depth: 2 });
    expect([...m.entries()].map(([i, l]) => [i, l.target, l.difficulty])).toEqual([[5, '4', 1], [7, '4', 2]]);
  });
  test('regression seed 12345', () => {
    expect(listops.render(generateExample(listops, {}, 12345))).toMatchInlineSnapshot(`"[MIN [SM [MIN 2 1 6 ]⟨1|1⟩ [MIN 2 2 ]⟨2|1⟩ 4 ]⟨7|2⟩ 8 ]⟨7|3⟩"`);
  });
});

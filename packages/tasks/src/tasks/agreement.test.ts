/** agreement vs an LL(1) recursive-descent parser of the grammar. */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { agreement } from './agreement.js';

const SG = ['dog', 'cat', 'man', 'girl', 'bird', 'farmer'];
const PL = ['dogs', 'cats', 'men', 'girls', 'birds', 'farmers'];
const isNoun = (t: string) => SG.includes(t) || PL.includes(t);

function oracle(tokens: readonly string[], params: Readonly<Record<string, number>>): Map<number, OracleLabel> {
  const out = new Map<number, OracleLabel>();
  let i = 0;
  let sentenceStart = 0;
  const verb = (subject: number, level: number): void => {
    const v = i++;
    expect(isNoun(tokens[v]!)).toBe(false);
    const plural = PL.includes(tokens[subject]!);
    const between = tokens.slice(subject + 1, v).filter(isNoun);
    const before = tokens.slice(sentenceStart, v);
    const opened = 1 + before.filter((t) => t === 'that').length;
    const closed = before.filter((t) => /^[A-Z]+$/.test(t)).length;
    out.set(v, {
      target: plural ? 'pl' : 'sg',
      difficulty: between.filter((t) => PL.includes(t) !== plural).length,
      features: { embedding_depth: level, intervening_nouns: between.length, distance: v - subject, pending_subjects: opened - closed },
    });
  };
  const np = (level: number): number => {
    const head = i++;
    expect(isNoun(tokens[head]!)).toBe(true);
    if (tokens[i] === 'that') {
      i++;
      expect(level).toBeLessThan(params.maxDepth!);
      if (isNoun(tokens[i]!)) verb(np(level + 1), level + 1);
      else {
        verb(head, level + 1);
        np(level + 1);
      }
    }
    return head;
  };
  let sentences = 0;
  while (i < tokens.length) {
    sentenceStart = i;
    verb(np(0), 0);
    expect(tokens[i++]).toBe('.');
    sentences++;
  }
  expect(sentences).toBe(params.sentences);
  return out;
}

describe('agreement', () => {
  test('matches the recursive-descent parser', () => checkAgainstOracle(agreement, oracle, 200));
  test('hand-computed: two plural attractors before the main verb', () => {
    const m = oracle('dog that cats that men SEE LIKE KNOW .'.split(' '), { maxDepth: 2, sentences: 1 });
    expect([...m.entries()].map(([i, l]) => [i, l.target, l.difficulty])).toEqual([[5, 'pl', 0], [6, 'pl', 0], [7, 'sg', 2]]);
  });
  test('regression seed 12345', () => {
    expect(agreement.render(generateExample(agreement, {}, 12345))).toMatchInlineSnapshot(`"dog LIKE⟨sg|0⟩ . birds that dogs that LIKE⟨pl|0⟩ dogs LIKE⟨pl|0⟩ LIKE⟨pl|0⟩ ."`);
  });
});

/**
 * agreement: sentences from a small grammar with nested relative clauses,
 *   S -> NP(maxDepth) V '.'      NP(d) -> N | N 'that' RC(d-1)   (RC with probability 3/4 when d > 0)
 *   RC(d) -> NP(d) V  (object relative: V agrees with that NP's head)
 *          | V NP(d)  (subject relative: V agrees with the modified noun)
 * Nouns carry number (`dog`/`dogs`); verbs appear as number-neutral lemmas (`SEE`) and
 * the target at a verb is `sg` or `pl`, its subject's number. Difficulty = attractors:
 * nouns between the subject and the verb whose number differs from the subject's.
 */
import type { Rng } from '../example.js';
import { at } from '../checked.js';
import { defineTask } from '../define-task.js';
import { need } from '../params.js';
import type { SequenceBuilder } from '../sequence-builder.js';
import type { Vocabulary } from '../vocabulary.js';

const NOUNS_SG = ['dog', 'cat', 'man', 'girl', 'bird', 'farmer'];
const NOUNS_PL = ['dogs', 'cats', 'men', 'girls', 'birds', 'farmers'];
const VERBS = ['SEE', 'CHASE', 'LIKE', 'HELP', 'KNOW'];
const EMBED_PROB = 0.75;

export const agreement = defineTask({
  name: 'agreement',
  description: 'Predict each verb\'s number from its subject across nested relative clauses; difficulty = attractor nouns.',
  params: {
    maxDepth: { default: 2, min: 0, max: 5, integer: true, description: 'Most nested relative clauses on one path.' },
    sentences: { default: 2, min: 1, max: 4, integer: true, description: 'Sentences per example.' },
  },
  sizeParam: 'maxDepth',
  sizeDescription: 'Maximum embedding depth (maxDepth).',
  tokens: [...NOUNS_SG, ...NOUNS_PL, ...VERBS, 'that', '.', 'sg', 'pl'],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['position', 'intervening_nouns', 'distance'],
  features: [
    { name: 'embedding_depth', group: 'static', kind: 'numeric', description: 'Relative clauses enclosing the verb (0 = main clause).' },
    { name: 'intervening_nouns', group: 'static', kind: 'numeric', description: 'Nouns between subject and verb, any number.' },
    { name: 'distance', group: 'static', kind: 'numeric', description: 'Token distance from the subject noun to the verb.' },
    { name: 'pending_subjects', group: 'dynamic', kind: 'numeric', description: 'Clauses opened but not yet closed by their verb when the verb is read (its own included).' },
  ],
  difficultyRange: (p) => [0, need(p, 'maxDepth')],
  maxLength: (p) => need(p, 'sentences') * (3 * need(p, 'maxDepth') + 3),
  generate(p, rng, b, vocab) {
    const s = need(p, 'sentences');
    for (let i = 0; i < s; i++) {
      const g = new Sentence(rng, b, vocab);
      g.clauseOpened();
      const head = g.np(need(p, 'maxDepth'), 0);
      g.verb(head, 0);
      b.push(vocab.id('.'));
    }
  },
});

/** Emits one sentence; tracks noun positions/numbers and open clauses. */
class Sentence {
  private readonly nounPos: number[] = [];
  private readonly nounPlural: boolean[] = [];
  private open = 0;

  constructor(
    private readonly rng: Rng,
    private readonly b: SequenceBuilder,
    private readonly vocab: Vocabulary,
  ) {}

  clauseOpened(): void {
    this.open++;
  }

  /** Emits NP(d) at embedding level `level`; returns the index of its head noun. */
  np(d: number, level: number): number {
    const plural = this.rng.int(0, 1) === 1;
    const word = this.rng.int(0, NOUNS_SG.length - 1);
    const head = this.nounPos.length;
    this.nounPos.push(this.b.input.length);
    this.nounPlural.push(plural);
    this.b.push(this.vocab.id(at(plural ? NOUNS_PL : NOUNS_SG, word)));
    if (d > 0 && this.rng.float() < EMBED_PROB) {
      this.b.push(this.vocab.id('that'));
      this.clauseOpened();
      if (this.rng.int(0, 1) === 0) {
        const inner = this.np(d - 1, level + 1);
        this.verb(inner, level + 1);
      } else {
        this.verb(head, level + 1);
        this.np(d - 1, level + 1);
      }
    }
    return head;
  }

  /** Emits a verb agreeing with noun `subject`, closing one clause. */
  verb(subject: number, level: number): void {
    const pos = this.b.input.length;
    const plural = at(this.nounPlural, subject);
    let intervening = 0;
    let attractors = 0;
    for (let k = subject + 1; k < this.nounPos.length; k++) {
      intervening++;
      if (this.nounPlural[k] !== plural) attractors++;
    }
    const lemma = this.vocab.id(at(VERBS, this.rng.int(0, VERBS.length - 1)));
    this.b.pushLabelled(lemma, this.vocab.id(plural ? 'pl' : 'sg'), attractors, {
      embedding_depth: level,
      intervening_nouns: intervening,
      distance: pos - at(this.nounPos, subject),
      pending_subjects: this.open,
    });
    this.open--;
  }
}

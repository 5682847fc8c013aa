/**
 * A task vocabulary: a fixed token list whose id 0 is always `<pad>` (PAD_ID), so the
 * model's embedding size is known from the task alone, whatever the params.
 */
import { AniraInputError } from './errors.js';
import { PAD_ID } from './example.js';

/** Token strings <-> ids of one task. */
export interface Vocabulary {
  readonly tokens: readonly string[];
  readonly size: number;
  /** Id of `token`; throws for unknown tokens. */
  id(token: string): number;
  /** Token string of `id`; throws for out-of-range ids. */
  token(id: number): string;
}

/** The padding token string (id `PAD_ID`). */
export const PAD_TOKEN = '<pad>';

/** Builds a vocabulary `[<pad>, ...tokens]`; tokens must be unique and contain no whitespace. */
export function createVocabulary(tokens: readonly string[]): Vocabulary {
  const all = [PAD_TOKEN, ...tokens];
  const index = new Map<string, number>();
  all.forEach((t, i) => {
    if (index.has(t)) throw new AniraInputError(`vocabulary: duplicate token "${t}"`);
    if (/\s|⟨|⟩/.test(t) || t.length === 0) throw new AniraInputError(`vocabulary: invalid token "${t}"`);
    index.set(t, i);
  });
  if (index.get(PAD_TOKEN) !== PAD_ID) throw new AniraInputError('vocabulary: <pad> must have id 0');
  return {
    tokens: all,
    size: all.length,
    id(token: string): number {
      const id = index.get(token);
      if (id === undefined) throw new AniraInputError(`vocabulary: unknown token "${token}"`, { code: 'unknown-name' });
      return id;
    },
    token(id: number): string {
      const t = all[id];
      if (t === undefined) throw new AniraInputError(`vocabulary: id must be an integer in [0, ${all.length - 1}], got ${id}`);
      return t;
    },
  };
}

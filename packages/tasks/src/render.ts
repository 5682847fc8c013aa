/**
 * The human-readable form of an example and its inverse. One line of space-separated
 * tokens; a position with a target reads `token⟨target|difficulty⟩`. Test oracles parse
 * this text back, solve the task independently and compare.
 */
import { at } from './checked.js';
import { AniraInputError } from './errors.js';
import { IGNORE } from './example.js';
import type { Example } from './example.js';
import type { Vocabulary } from './vocabulary.js';

/** Renders `example` with `vocab` (see module comment for the format). */
export function renderExample(vocab: Vocabulary, example: Example): string {
  const parts: string[] = [];
  for (const [i, id] of example.input.entries()) {
    const tok = vocab.token(id);
    const t = at(example.target, i);
    parts.push(t === IGNORE ? tok : `${tok}⟨${vocab.token(t)}|${example.difficulty[i]}⟩`);
  }
  return parts.join(' ');
}

/** One parsed position of a rendered example. */
export interface RenderedToken {
  readonly token: string;
  /** Target token string, or null when the position has no target. */
  readonly target: string | null;
  /** Difficulty label, or null when the position has no target. */
  readonly difficulty: number | null;
}

const ANNOTATED = /^(.+)⟨(.+)\|(-?\d+)⟩$/;

/** Parses the output of `renderExample` back into tokens, targets and difficulties. */
export function parseRendered(text: string): RenderedToken[] {
  if (text.length === 0) return [];
  return text.split(' ').map((part) => {
    const [, token, target, difficulty] = ANNOTATED.exec(part) ?? [];
    if (token !== undefined && target !== undefined) return { token, target, difficulty: Number(difficulty) };
    if (part.includes('⟨')) throw new AniraInputError(`parseRendered: malformed token "${part}"`);
    return { token: part, target: null, difficulty: null };
  });
}

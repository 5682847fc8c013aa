/**
 * Accuracy per token (fraction of target tokens predicted correctly) and per example
 * (exact match: every target token of the example correct). Examples with no target
 * tokens are excluded from exact match. An empty input gives NaN (documented).
 */
import type { ExampleTrace } from '../trace.js';

export interface AccuracyResult {
  readonly tokenAccuracy: number;
  readonly exactMatch: number;
  readonly tokens: number;
  readonly examples: number;
}

/** Token accuracy and exact match over `examples`, computed from the tokens' `correct` flags. */
export function accuracy(examples: readonly ExampleTrace[]): AccuracyResult {
  let tokens = 0, correct = 0, scored = 0, exact = 0;
  for (const ex of examples) {
    if (ex.tokens.length === 0) continue;
    scored++;
    let all = true;
    for (const t of ex.tokens) {
      tokens++;
      if (t.correct) correct++;
      else all = false;
    }
    if (all) exact++;
  }
  return {
    tokenAccuracy: tokens ? correct / tokens : Number.NaN,
    exactMatch: scored ? exact / scored : Number.NaN,
    tokens,
    examples: scored,
  };
}

/** Seeded Fisher-Yates shuffles shared by the generators. */
import { at } from './checked.js';
import type { Rng } from './example.js';

/** Shuffles `a` in place with `rng` and returns it. */
export function shuffleInPlace<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = at(a, i);
    a[i] = at(a, j);
    a[j] = t;
  }
  return a;
}

/** A uniformly random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): number[] {
  return shuffleInPlace(Array.from({ length: n }, (_, i) => i), rng);
}

/**
 * Seeded randomness for every generator: a pure-rand xoroshiro128+ stream behind the
 * small `Rng` seam, plus the seed derivation that lets example i of a stream be
 * regenerated alone. Only integer arithmetic, so results are identical on every platform.
 */
import { AniraInputError } from './errors.js';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Rng } from './example.js';

function checkSeed(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new AniraInputError(`rng: ${name} must be a safe integer, got ${value}`);
  }
}

/** A deterministic `Rng` for `seed` (any safe integer). Never uses Math.random. */
export function createRng(seed: number): Rng {
  checkSeed('seed', seed);
  // Fold the high bits in so seeds beyond 32 bits still differ; 32-bit seeds map to themselves.
  const gen = xoroshiro128plus((seed | 0) ^ Math.imul(Math.floor(seed / 0x100000000) | 0, 0x9e3779b1));
  return {
    int(min: number, max: number): number {
      if (max < min) throw new AniraInputError(`rng: int range is empty, got [${min}, ${max}]`);
      return min === max ? min : uniformInt(gen, min, max);
    },
    float(): number {
      return uniformFloat64(gen);
    },
  };
}

/** 32-bit avalanche mixer (murmur3 finaliser). */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Seed of example `index` of the stream started by `seed`: a hash of both, in
 * [0, 2^31 - 1]. Example i of a dataset is `generateExample(task, params, deriveExampleSeed(seed, i))`.
 */
export function deriveExampleSeed(seed: number, index: number): number {
  checkSeed('seed', seed);
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new AniraInputError(`rng: index must be a non-negative safe integer, got ${index}`);
  }
  const seedLo = seed | 0;
  const seedHi = Math.floor(seed / 0x100000000) | 0;
  const idxLo = index | 0;
  const idxHi = Math.floor(index / 0x100000000) | 0;
  let h = mix32(seedLo ^ 0x9e3779b9);
  h = mix32(h ^ seedHi ^ 0x7f4a7c15);
  h = mix32(h ^ idxLo ^ 0x632be59b);
  h = mix32(h ^ idxHi ^ 0x1b873593);
  return h >>> 1;
}

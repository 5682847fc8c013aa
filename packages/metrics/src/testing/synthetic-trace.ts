/**
 * A deterministic synthetic trace for tests and the sample report: depth grows with
 * difficulty (plus a static size effect), accuracy falls outside the training sizes.
 * Internal (not exported from the package entry).
 */
import { TRACE_FORMAT_VERSION, type ExampleTrace, type TokenTrace, type Trace } from '../trace.js';

export interface SyntheticOptions {
  readonly policy?: string;
  readonly tMax?: number;
  readonly sizes?: readonly number[];
  readonly trainSizes?: readonly number[];
  readonly examplesPerSize?: number;
  /** Weight of the dynamic feature in the depth (0 = purely static). */
  readonly dynamicWeight?: number;
  readonly seed?: number;
}

/** Small LCG so the fixture needs no dependency. */
function lcg(seed: number): () => number {
  let s = (seed >>> 0) || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export function syntheticTrace(o: SyntheticOptions = {}): Trace {
  const { policy = 'anira-o', tMax = 8, sizes = [2, 3, 4, 5, 6, 8], trainSizes = [2, 3, 4], examplesPerSize = 6, dynamicWeight = 0.7, seed = 1 } = o;
  const rand = lcg(seed);
  const examples: ExampleTrace[] = [];
  for (const size of sizes)
    for (let e = 0; e < examplesPerSize; e++) {
      const tokens: TokenTrace[] = [];
      for (let p = 0; p < size + 1; p++) {
        const carry = Math.floor(rand() * (size + 1));
        const difficulty = 1 + Math.min(carry, 5);
        const raw = 1 + dynamicWeight * carry + (1 - dynamicWeight) * (size / 2) + rand() * 1.5;
        const exitDepth = Math.max(1, Math.min(tMax, Math.round(raw)));
        const inDist = size <= Math.max(...trainSizes);
        const correct = rand() < (inDist ? 0.95 : 0.95 - 0.15 * (size - Math.max(...trainSizes)));
        const target = 3 + ((p * 7 + size) % 10);
        tokens.push({
          position: 2 * size + 2 + p,
          target,
          prediction: correct ? target : 3 + ((target + 1) % 10),
          correct,
          exitDepth,
          expectedDepth: exitDepth - 0.3 + rand() * 0.6,
          haltProbs: Array.from({ length: exitDepth }, (_, k) => (k === exitDepth - 1 ? 0.9 : 0.1)),
          stepPredictions: Array.from({ length: exitDepth }, (_, k) => (k === exitDepth - 1 ? (correct ? target : 3) : 3)),
          difficulty,
          features: { static: { size, hub: p % 3 === 0 ? 1 : 0 }, position: { position: p }, dynamic: { carry } },
          flops: exitDepth * 1000,
        });
      }
      examples.push({ meta: { task: 'addition', params: { digits: size }, seed: seed * 1000 + examples.length }, size, exact: tokens.every((t) => t.correct), tokens });
    }
  return {
    header: {
      kind: 'anira-trace', version: TRACE_FORMAT_VERSION, task: 'addition', policy, tMax, trainTMax: 8, flopsPerIteration: 1000,
      features: [
        { name: 'size', group: 'static', kind: 'numeric' },
        { name: 'position', group: 'position', kind: 'numeric' },
        { name: 'hub', group: 'static', kind: 'categorical' },
        { name: 'carry', group: 'dynamic', kind: 'numeric' },
      ],
      trainSizes,
    },
    examples,
  };
}

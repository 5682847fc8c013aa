/**
 * A tiny experiment whose best held-out weights are those of update 1 while training
 * runs to update 3 (minDelta 1: no later evaluation can count as a gain), so that the
 * best and the last weights differ. For tests of which weights a command takes.
 */
export const BEST_AT_UPDATE_1 = {
  name: 'best',
  seed: 3,
  task: { name: 'addition', params: { digits: 2 }, trainSizes: [1, 2], evalSizes: [2] },
  model: { dModel: 16, nHeads: 2, tMax: 3 },
  policy: { name: 'anira-o', options: {} },
  trainer: { steps: 3, batchSize: 4, warmupSteps: 0, evalEvery: 1, minDelta: 1 },
  eval: { examples: 4, heldOut: 4, tMax: [] },
  checkpointEvery: 1,
} as const;

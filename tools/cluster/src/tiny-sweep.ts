/**
 * A tiny examples/paper-style sweep (2 runs: ANIRA-E and ANIRA-O on msd addition,
 * dModel 8, 20 updates) and the comparison of two finished sweep folders: every
 * output must be identical except wall-clock timing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const TINY_SPEC = `# A tiny examples/paper-style sweep for the cluster test (2 runs, seconds each)
name: tiny
base:
  model: { dModel: 8, nHeads: 2, tMax: 3, preludeLayers: 1 }
  trainer: { steps: 20, batchSize: 8, lr: 0.003, warmupSteps: 2, evalEvery: 10, patience: 3 }
  eval: { examples: 8, heldOut: 8, tMax: [] }
  checkpointEvery: 10
  task: { name: addition, params: { digits: 2, order: msd }, trainSizes: [1, 2], evalSizes: [1, 2] }
  policy: { name: anira-o }
grid:
  policy:
    - { name: anira-e }
    - { name: anira-o }
`;

export const TINY_RUNS = ['policy=anira-e', 'policy=anira-o'];

/** Wall-clock fields of summary.json: the only ones allowed to differ between two runs. */
const TIMING = ['trainSeconds'];

/** summary.json without its timing fields. */
export function comparableSummary(runDir: string): Record<string, unknown> {
  const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  for (const k of TIMING) {
    if (!(k in s)) throw new Error(`${runDir}/summary.json has no "${k}": update TIMING in tiny-sweep.ts`);
    delete s[k];
  }
  return s;
}

/** The run folders of a sweep folder (those holding summary.json), sorted. */
export const runFolders = (sweepDir: string): string[] =>
  readdirSync(sweepDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(sweepDir, d.name)).includes('summary.json'))
    .map((d) => d.name)
    .sort();

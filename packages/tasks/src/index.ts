/** Public entry of @anira/tasks (re-exports only, by name). */
export { AniraInputError, pathError, type AniraInputErrorCode, type AniraInputErrorOptions } from './errors.js';
export {
  IGNORE, PAD_ID, FEATURE_GROUPS,
  type FeatureGroup, type FeatureSpec, type ExampleFeatures, type ExampleMeta, type Example, type Rng,
} from './example.js';
export { createRng, deriveExampleSeed } from './rng.js';
export { createVocabulary, PAD_TOKEN } from './vocabulary.js';
export type { Vocabulary } from './vocabulary.js';
export type { ParamInput, ParamSpec, Task, TaskParams } from './task.js';
export { paramChoiceName } from './params.js';
export { listTasks, getTask } from './registry.js';
export { generateExample, sampleDataset } from './generate.js';
export type { DatasetOptions } from './generate.js';
export { withSize, sizeSplits } from './splits.js';
export type { SizeSplits } from './splits.js';
export { exampleToJsonl } from './jsonl.js';
export { renderExample, parseRendered } from './render.js';
export type { RenderedToken } from './render.js';
export { addition } from './tasks/addition.js';
export { kHop } from './tasks/k-hop.js';
export { variableBinding } from './tasks/variable-binding.js';
export { listops } from './tasks/listops.js';
export { dyck } from './tasks/dyck.js';
export { agreement } from './tasks/agreement.js';
export { graphDfs } from './tasks/graph-dfs.js';
export { topologicalSort } from './tasks/topological-sort.js';
export { inputKey, excludingStream, countOverlap, MAX_REDRAWS } from './disjoint.js';
export { labelProxyStats, PROXY_SHARE, PROXY_R2 } from './label-proxy.js';
export type { LabelProxyStats } from './label-proxy.js';

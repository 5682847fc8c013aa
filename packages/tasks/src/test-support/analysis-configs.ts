/**
 * The task configurations the paper specs analyse (examples/paper/*.yaml): params and
 * the size-knob values mixed, per task. The label-proxy marks of each FeatureSpec are
 * decided on these (label-proxy.test.ts), since proxies are a property of the data the
 * analysis sees: degenerate tiny instances would make almost any feature decisive.
 */
export const ANALYSIS_CONFIGS: Readonly<Record<string, readonly { params: Record<string, number>; sizes: readonly number[] }[]>> = {
  addition: [{ params: { digits: 3, order: 1 }, sizes: [1, 2, 3] }, { params: { digits: 3, order: 0 }, sizes: [1, 2, 3] }],
  'variable-binding': [{ params: {}, sizes: [1, 2, 3] }],
  'graph-dfs': [{ params: {}, sizes: [4, 5, 6] }, { params: {}, sizes: [4, 5, 6, 7, 8, 9, 10, 11, 12] }],
  'topological-sort': [{ params: {}, sizes: [4, 5, 6] }, { params: {}, sizes: [4, 5, 6, 7, 8, 9, 10, 11, 12] }],
  'k-hop': [{ params: {}, sizes: [2, 3] }],
  listops: [{ params: {}, sizes: [2, 3] }],
  dyck: [{ params: {}, sizes: [12, 16] }],
  agreement: [{ params: {}, sizes: [1, 2] }],
};

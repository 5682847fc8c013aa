/**
 * `@anira/model/internal`: building blocks of the model's own loops, exported for
 * tests, benchmarks and experiments on the inference machinery. No stability
 * promise: names and signatures here may change in any release. Re-exports only.
 */
export { KvCache } from './kv-cache.js';
export { copyReplica } from './stacked.js';
export { keysAttended } from './flops.js';
export { crc32 } from './checkpoint.js';
export { FULL_PHASE } from './schedule.js';

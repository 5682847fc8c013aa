/**
 * Node-only entry of @anira/tensor (`@anira/tensor/node`): the project's one atomic
 * file writer, shared by @anira/metrics, @anira/model and @anira/cli. It imports no
 * tfjs and no other package, so depending on it costs nothing beyond this package.
 */
export { makeDirectory, tempFilePid, writeFileAtomic } from './atomic-write.js';

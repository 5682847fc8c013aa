/** Public entry of @anira/cli: the programmatic CLI (re-exports only). */
export { buildProgram, runCli } from './program.js';
export { VERSION } from './version.js';
export { BACKENDS, setupBackend, usesAsyncReads, type BackendChoice, type BackendInfo } from './backend.js';

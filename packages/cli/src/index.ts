/** Public entry of @anira/cli: the programmatic CLI (re-exports only). */
export { buildProgram, runCli } from './program.js';
export { VERSION } from './version.js';
export { BACKENDS, NATIVE_MODES, nativeMode, setupBackend, usesAsyncReads, type BackendChoice, type BackendInfo, type NativeMode } from './backend.js';

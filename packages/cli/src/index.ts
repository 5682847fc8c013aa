/** Public entry of @anira/cli: the programmatic CLI (re-exports only). */
export { buildProgram } from './program.js';
export { VERSION } from './version.js';

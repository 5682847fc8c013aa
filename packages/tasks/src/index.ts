/** Public entry of @anira/tasks (re-exports only). */
export * from './example.js';

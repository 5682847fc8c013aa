/** Public entry of @anira/model (re-exports only). */
export {};

/** Public entry of @anira/tensor: re-exports only. Importing it registers tfjs gradients. */
export { GRADIENTS_REGISTERED } from './gradients.js';
export { deriveSeed, glorotUniform, normal, variable } from './init.js';
export { matmul, linear } from './matmul.js';

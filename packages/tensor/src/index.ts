/** Public entry of @anira/tensor: re-exports only. Importing it registers tfjs gradients. */
export { GRADIENTS_REGISTERED } from './gradients.js';
export { deriveSeed, glorotUniform, normal, variable } from './init.js';
export { matmul, linear, sumRows } from './matmul.js';
export { backendCapabilities, type BackendCapabilities } from './capabilities.js';
export { FUSED_KERNELS } from './fused-kernels.js';
export { batchMatmul, defaultBatchMatmulKernel, type BatchMatmulKernel } from './bmm.js';
export { layerNorm, gelu, mlp } from './layers.js';
export { MASKED_SCORE, splitHeads, mergeHeads, attentionBias, scaledDotAttention } from './attention.js';
export { forEachVisibleKey, visibleKeyEnd } from './attend-rule.js';
export { sinusoidalPositions, ropeTables, applyRope } from './positions.js';
export { embed } from './embed.js';
export { tokenCrossEntropy, maskedMean } from './loss.js';
export { clipByGlobalNorm } from './clip.js';
export { Adam, type AdamOptions } from './adam.js';
export { countDeviceWork, countsBetween, deviceCounts, type DeviceCounts } from './device-counters.js';
export { chunkWebGpuAddN } from './webgpu-addn.js';
export { heapGatherRows, heapScatterRows } from './heap-rows.js';
export { replicaMatmul, replicaLinear, replicaLayerNorm, replicaMlp, replicaEmbed } from './replicas.js';

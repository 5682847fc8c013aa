/** Public entry of @anira/native: re-exports only. */
export { enableNativeKernels, disableNativeKernels, nativeKernelsEnabled, type NativeStatus, type EnableOptions } from './enable.js';
export { loadAddon, type NativeAddon, type AddonLoad } from './addon.js';
export { planProduct, type ProductPlan } from './plan.js';
export { NATIVE_MATMUL } from './kernels.js';

/**
 * Gradient registration. `@tensorflow/tfjs-core`'s Node entry registers no
 * gradients, and its ESM side-effect file cannot be imported by plain Node
 * (extension-less imports). The build bundles that file into this module, so
 * importing `@anira/tensor` makes `tf.grad` work in Node, bundlers and browsers.
 * Gradient registries are global in tfjs, so the bundled copy registers into the
 * same registry as the application's `@tensorflow/tfjs-core`.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/** True once this module has been evaluated (gradients are registered). */
export const GRADIENTS_REGISTERED = true;

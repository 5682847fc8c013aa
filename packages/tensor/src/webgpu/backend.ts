/**
 * The one place that decides whether the fused WGSL programs run, and the runner
 * that executes a program on tfjs's `webgpu` backend. Programs are plain objects
 * satisfying tfjs-backend-webgpu 4.22's `WebGPUProgram` interface; the backend
 * instance comes from `tf.backend()` at run time, so this package never imports
 * (or depends on) `@tensorflow/tfjs-backend-webgpu` and never picks a backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A uniform value appended after the backend's own (shapes, strides, size). */
export interface ProgramUniform {
  readonly type: 'float32' | 'int32';
  readonly data: number[];
}

/** The fields of tfjs-backend-webgpu's `WebGPUProgram` that these programs set. */
export interface WgslProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size?: boolean;
  uniforms?: string;
  getUserCode: () => string;
}

interface WebGpuBackendLike {
  runWebGPUProgram(program: WgslProgram, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: ProgramUniform[]): tf.TensorInfo;
}

let enabled = true;

/** Turn the fused programs on or off (tests and dispatch counts compare both paths). */
export function setFusedWebGpu(on: boolean): void {
  enabled = on;
}

/** True when the active backend is tfjs's `webgpu` and the fused programs are on. */
export function useFusedWebGpu(): boolean {
  return enabled && tf.getBackend() === 'webgpu';
}

/** Threads per workgroup for every program here (a multiple of 32 and of 64 lanes). */
export const WORKGROUP = 64;

/**
 * A program over `threads` invocations in workgroups of `WORKGROUP`; `index` in
 * `fn main(index : i32)` is the invocation number (guard it against `threads`).
 */
export function program(
  shaderKey: string,
  variableNames: string[],
  outputShape: number[],
  threads: number,
  userCode: string,
  uniforms?: string,
): WgslProgram {
  return {
    variableNames,
    outputShape,
    shaderKey: `anira_${shaderKey}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    ...(uniforms === undefined ? {} : { uniforms }),
    getUserCode: () => userCode,
  };
}

/** Run `p` on the active webgpu backend; the float32 output is a tracked tensor. */
export function runProgram(p: WgslProgram, inputs: tf.Tensor[], uniforms?: ProgramUniform[]): tf.Tensor {
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  const info = backend.runWebGPUProgram(p, inputs, 'float32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** WGSL declaring the workgroup scratch array that `reduceSnippet` uses. */
export const REDUCE_BUFFER = `var<workgroup> buf : array<f32, ${WORKGROUP}>;`;

/**
 * WGSL that reduces each invocation's `value` over the workgroup with `op` and
 * declares `into` (the result, the same in every invocation). Needs `tid`
 * (`i32(localId.x)`) and `REDUCE_BUFFER`; every invocation must reach it
 * (uniform control flow), and `buf` may be reused right after.
 */
export function reduceSnippet(op: 'sum' | 'max', value: string, into: string): string {
  const combine = op === 'sum' ? 'buf[tid] + buf[tid + s]' : 'max(buf[tid], buf[tid + s])';
  return `
      buf[tid] = ${value};
      workgroupBarrier();
      for (var s = ${WORKGROUP / 2}; s > 0; s = s >> 1) {
        if (tid < s) { buf[tid] = ${combine}; }
        workgroupBarrier();
      }
      let ${into} = buf[0];
      workgroupBarrier();`;
}

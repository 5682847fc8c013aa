/**
 * The OpenBLAS environment variables a machine may set (`OPENBLAS_CORETYPE`
 * forces a kernel family, `OPENBLAS_L2_SIZE` the cache size OpenBLAS blocks for)
 * and the two environments the bench measures every BLAS-backed engine under:
 * 'unset' (both removed, what a user's machine has) and 'machine' (as this
 * machine sets them). Both PyTorch and our native kernels read them, so each
 * ratio compares the two engines under the same environment.
 */
export const BLAS_VARS = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

export type BlasEnv = 'unset' | 'machine';

/** True when this machine sets any of the variables (then 'unset' and 'machine' differ). */
export function blasVarsSet(env: NodeJS.ProcessEnv = process.env): boolean {
  return BLAS_VARS.some((v) => env[v] !== undefined);
}

/** A copy of `env` for `which`: the variables removed for 'unset', as they are for 'machine'. */
export function blasEnvironment(which: BlasEnv, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  if (which === 'unset') for (const v of BLAS_VARS) delete out[v];
  return out;
}

/** How a table names the environment. */
export function blasEnvLabel(which: BlasEnv): string {
  return which === 'unset' ? 'OPENBLAS vars unset' : 'OPENBLAS vars as set';
}

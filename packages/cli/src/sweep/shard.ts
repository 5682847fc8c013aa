/**
 * Sharding: a deterministic subset of a sweep's runs for one worker of a batch
 * engine. `--shard i/n` wins; otherwise the index comes from Kubernetes Indexed Jobs
 * (`JOB_COMPLETION_INDEX`) or Slurm arrays (`SLURM_ARRAY_TASK_ID`, with the count
 * from `SLURM_ARRAY_TASK_COUNT`), and the count from `--shards`. Run r belongs to
 * shard r mod n.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
  readonly source: string;
}

const int = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : undefined);

export function resolveShard(flag: string | undefined, shards: number | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) throw new Error(`--shard must look like i/n with 0 <= i < n, got "${flag}"`);
    const index = Number(m[1]);
    const count = Number(m[2]);
    if (count < 1 || index >= count) throw new Error(`--shard must look like i/n with 0 <= i < n, got "${flag}"`);
    return { index, count, source: '--shard' };
  }
  const k8s = int(env['JOB_COMPLETION_INDEX']);
  const slurm = int(env['SLURM_ARRAY_TASK_ID']);
  const index = k8s ?? slurm;
  if (index === undefined) return { index: 0, count: 1, source: 'none' };
  const source = k8s !== undefined ? 'JOB_COMPLETION_INDEX' : 'SLURM_ARRAY_TASK_ID';
  const count = shards ?? (k8s === undefined ? int(env['SLURM_ARRAY_TASK_COUNT']) : undefined);
  if (count === undefined) throw new Error(`${source}=${index} is set: pass --shards <n> (the number of shards)`);
  if (index >= count) throw new Error(`${source}=${index} must be in [0, ${count - 1}] for --shards ${count}`);
  return { index, count, source };
}

/** The runs of one shard. */
export function selectShard<T extends { index: number }>(runs: readonly T[], shard: Shard): T[] {
  return runs.filter((r) => r.index % shard.count === shard.index);
}

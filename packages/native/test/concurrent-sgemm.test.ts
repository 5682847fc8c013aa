/**
 * The addon's products and fused kernels are exact when worker threads call it at
 * once. A serial OpenBLAS shares its packing buffers between threads without a
 * lock; without the addon's own lock, two threads gave wrong products in about half
 * of 4,000 rounds here, and `anira train --workers 2` drifted from one process by
 * 0.3% in its first loss. The prebuilt links a thread-safe (pthread) OpenBLAS and
 * runs without the lock; its kernels keep scratch rows per thread (a scratch
 * block shared between threads gave 3,839 wrong rounds of 20,000). The check runs
 * in a plain `node` child with the rounds of concurrent-sgemm.mjs.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./concurrent-sgemm.mjs', import.meta.url));

describe('sgemm from concurrent worker threads', () => {
  it('gives every round bit for bit the products computed alone', () => {
    const r = spawnSync(process.execPath, [script, '2', '20000'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { core: string; concurrent: boolean; threads: number; rounds: number; differing: number };
    expect(out).toMatchObject({ threads: 2, rounds: 20000 });
    expect(out.differing, `OpenBLAS core ${out.core}`).toBe(0);
  });
});

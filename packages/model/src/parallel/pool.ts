/**
 * The main thread's side of the worker threads: spawn them, wait for their
 * setup, run one step command at a time behind an `Atomics` barrier, and turn
 * any worker failure (an exception, an exit, a timeout) into one error line that
 * names the worker, after terminating the others. The main thread never blocks:
 * it waits with `Atomics.waitAsync` in short slices, so `error` and `exit`
 * events are seen at once.
 */
import { Worker } from 'node:worker_threads';
import { CMD_QUIT, CMD_STEP, Ctl, type SharedBuffers, type SharedViews } from './shared-memory.js';
import type { WorkerInit } from './worker.js';

/** The built worker entry, beside the bundle that holds this module (from sources: the package's dist). */
export function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/parallel-worker.js', here) : new URL('./parallel-worker.js', here);
}

type WaitAsync = (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string };

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private failure: Error | undefined;
  private wake: () => void = () => {};
  private failed: Promise<void>;
  private closing = false;
  private gen = 0;

  constructor(
    private readonly views: SharedViews,
    buffers: SharedBuffers,
    init: Omit<WorkerInit, 'index' | 'buffers'>,
    workerUrl: URL,
    private readonly stepTimeoutMs: number,
  ) {
    this.failed = new Promise((resolve) => { this.wake = resolve; });
    for (let index = 0; index < init.workers; index++) {
      const w = new Worker(workerUrl, { workerData: { ...init, index, buffers } satisfies WorkerInit });
      w.on('error', (e: unknown) => this.fail(`worker ${index} failed: ${firstLine(e)}`));
      w.on('messageerror', (e: unknown) => this.fail(`worker ${index} sent an unreadable message: ${firstLine(e)}`));
      w.on('exit', (code) => { if (!this.closing) this.fail(`worker ${index} exited (code ${code})`); });
      this.workers.push(w);
    }
  }

  /** The first failure, if any (the pool is unusable after it). */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Wait until every worker has built its replica (`timeoutMs` for all of them). */
  async ready(timeoutMs: number): Promise<void> {
    await this.waitFor(Ctl.ready, this.workers.length, timeoutMs, 'finish setup');
  }

  /** Run the gradient command for update index `step` (weights already in shared memory); resolves when every worker is done. */
  async step(step: number, length: number): Promise<void> {
    if (this.failure) throw this.failure;
    const c = this.views.control;
    Atomics.store(c, Ctl.done, 0);
    Atomics.store(c, Ctl.step, step);
    Atomics.store(c, Ctl.length, length);
    Atomics.store(c, Ctl.cmd, CMD_STEP);
    this.gen += 1;
    Atomics.store(c, Ctl.gen, this.gen);
    Atomics.notify(c, Ctl.gen);
    await this.waitFor(Ctl.done, this.workers.length, this.stepTimeoutMs, `finish update ${step + 1}`);
  }

  /** Ask the workers to quit, then terminate them. Idempotent. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const c = this.views.control;
    Atomics.store(c, Ctl.cmd, CMD_QUIT);
    Atomics.store(c, Ctl.gen, ++this.gen);
    Atomics.notify(c, Ctl.gen);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(message: string): void {
    if (this.failure || this.closing) return;
    this.failure = new Error(`parallel training: ${message}`);
    this.wake();
    void this.close();
  }

  /** Wait until `control[index] >= target`, in slices of 200 ms; throws the pool's failure or a timeout naming the late workers. */
  private async waitFor(index: number, target: number, timeoutMs: number, what: string): Promise<void> {
    const c = this.views.control;
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const v = Atomics.load(c, index);
      if (v >= target) return;
      if (Date.now() >= deadline) {
        const late = target - v;
        const err = new Error(`parallel training: ${late} of ${target} workers did not ${what} within ${Math.round(timeoutMs / 1000)} s`);
        this.fail(err.message.replace(/^parallel training: /, ''));
        throw this.failure ?? err;
      }
      const r = waitAsync(c, index, v, Math.min(200, Math.max(1, deadline - Date.now())));
      if (r.async) await Promise.race([r.value, this.failed]);
    }
  }
}

/** The first line of an error's message. */
function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0]!.trim() || (e instanceof Error ? e.name : 'unknown error');
}

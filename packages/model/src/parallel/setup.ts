/**
 * The replica contract of parallel training. Workers cannot receive closures, so
 * every thread (the main thread and each worker) builds its own replica by
 * importing the same ES module (`setupModule`) and calling its `setup` export
 * (or default export) with the same JSON-serializable `setupData`.
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import type { LoopedTransformer } from '../model.js';

/** What a setup module builds: the same fields as `TrainerOptions`' replica part. */
export interface ParallelReplica {
  readonly model: LoopedTransformer;
  readonly policy: HaltingPolicy;
  /** Training example number `index` (deterministic: every thread must return the same example). */
  readonly example: (index: number) => Example;
  /** Held-out set (used on the main thread only). */
  readonly evalExamples?: readonly Example[];
  /** Pad every batch to this length (default: the longest example of the global batch). */
  readonly maxLength?: number;
}

/** The factory a setup module exports as `setup` (or `default`); it may be async. */
export type ParallelSetup = (setupData: unknown) => ParallelReplica | Promise<ParallelReplica>;

/**
 * Import `setupModule`, run `beforeSetup` (e.g. select the tfjs backend the module
 * registered), then build a replica from `setupData`. One-line errors.
 */
export async function loadReplica(setupModule: string, setupData: unknown, beforeSetup?: () => Promise<void>): Promise<ParallelReplica> {
  const mod = (await import(setupModule)) as { setup?: unknown; default?: unknown };
  const factory = typeof mod.setup === 'function' ? mod.setup : mod.default;
  if (typeof factory !== 'function') {
    throw new AniraInputError(`parallel training: setup module "${setupModule}" must export a function "setup" (or a default export) returning { model, policy, example }`);
  }
  await beforeSetup?.();
  const replica = (await (factory as ParallelSetup)(setupData)) as Partial<ParallelReplica> | undefined;
  for (const field of ['model', 'policy', 'example'] as const) {
    if (!replica || replica[field] === undefined) throw new AniraInputError(`parallel training: setup module "${setupModule}" returned no "${field}"`);
  }
  return replica as ParallelReplica;
}

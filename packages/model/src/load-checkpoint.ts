/**
 * Inference-only loading, browser-safe: one call turns a checkpoint into a ready
 * `{ model, policy, meta }` (no `Trainer`, no `example` function). The model is
 * rebuilt from the header's `model` config, the policy from `policy.name` and
 * `policy.options` through @anira/halting's registry (built-in policies) or a
 * factory you pass (user and composed policies), then every `model/...` and
 * `policy/...` weight is loaded (or the `best/...` snapshot with `weights: 'best'`).
 *
 * Storage goes through tf.io-style handlers: `saveCheckpoint(bytes, handler)` hands
 * the checkpoint to any `save(artifacts)` handler (`tf.io.getSaveHandlers(
 * 'indexeddb://name')[0]`, `tf.io.withSaveHandler(...)`) as ModelArtifacts whose
 * `weightData` is the whole checkpoint file, verbatim (one `bool`-typed weight of
 * 1 byte per element, so byte-counting handlers stay consistent; the file keeps
 * its own checksum). `loadCheckpoint` reads bytes, an ArrayBuffer, any `load()`
 * handler, a tf.io URL (`indexeddb://`, `localstorage://`), or fetches an http(s)
 * or relative URL. File paths are read by the Node entry (`@anira/model/node`).
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { getPolicyDefinition, type HaltingPolicy, type PolicyDims, type PolicySource } from '@anira/halting';
import type { BestState } from './best-tracker.js';
import type { TrainerConfig } from './trainer-config.js';
import { deserializeCheckpoint, readCheckpointHeader } from './checkpoint.js';
import type { ModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';

/** The format tag of ModelArtifacts written by `saveCheckpoint`. */
export const CHECKPOINT_ARTIFACTS_FORMAT = 'anira-checkpoint';

/** The run metadata of a checkpoint header, as `Trainer` writes it. */
export interface CheckpointMeta {
  /** The model config the weights belong to. */
  readonly model: ModelConfig;
  /** The policy instance's name and options, and the definition that built it when it differs (`source`). */
  readonly policy: { readonly name: string; readonly options: Readonly<Record<string, unknown>>; readonly source?: PolicySource };
  /** The update the weights are from (absent in files not written by a trainer). */
  readonly step?: number;
  /** The trainer config of the run. */
  readonly trainer?: TrainerConfig;
  /** The best held-out evaluation so far (early stopping state). */
  readonly best?: BestState;
  /** `best.step`: the update of the best held-out evaluation. */
  readonly bestStep?: number;
  /** The task, when the trainer's `meta` option recorded it (the CLI does: name, resolved params, train sizes). */
  readonly task?: { readonly name: string; readonly params: Readonly<Record<string, number>>; readonly trainSizes?: readonly number[] };
  /** Other keys given in the trainer's `meta` option. */
  readonly [key: string]: unknown;
}

/**
 * Builds a policy that is not in the built-in registry (user or composed), from the
 * checkpoint's dims and options: those of `policy.source` when the checkpoint records
 * one (a `definePolicy` definition whose `create` composed policies), so
 * `(d, o) => myDefinition.create(d, o)` reloads it.
 */
export type PolicyFactory = (dims: PolicyDims, options: Readonly<Record<string, unknown>>) => HaltingPolicy;

/** A tf.io-style loader (a `tf.io.IOHandler`; its `load` is required at run time). */
export interface CheckpointLoadHandler {
  load?: (() => Promise<tf.io.ModelArtifacts>) | undefined;
}

/** A tf.io-style saver (a `tf.io.IOHandler`; its `save` is required at run time). */
export interface CheckpointSaveHandler {
  save?: ((artifacts: tf.io.ModelArtifacts) => Promise<tf.io.SaveResult>) | undefined;
}

/** Checkpoint bytes, an ArrayBuffer, a tf.io load handler, or a URL (tf.io scheme or fetched). */
export type CheckpointSource = Uint8Array | ArrayBuffer | CheckpointLoadHandler | string;

export interface LoadCheckpointOptions {
  /** Required when the checkpoint's policy is not built in: `(dims, options) => HaltingPolicy`. */
  readonly policy?: PolicyFactory;
  /** 'current' (default): the weights at the checkpoint's step; 'best': the best-evaluation snapshot of a full checkpoint. */
  readonly weights?: 'current' | 'best';
}

export interface LoadedCheckpoint {
  readonly model: LoopedTransformer;
  readonly policy: HaltingPolicy;
  /** The header's run metadata (model, policy, trainer and task configs, step...), typed. */
  readonly meta: CheckpointMeta;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rebuild model and policy from checkpoint `bytes` and load their weights (synchronous). */
export function loadCheckpointBytes(bytes: Uint8Array, options: LoadCheckpointOptions = {}): LoadedCheckpoint {
  const { header, tensors } = deserializeCheckpoint(bytes);
  let model: LoopedTransformer | undefined;
  let policy: HaltingPolicy | undefined;
  try {
    const meta = header.meta;
    if (!isObject(meta['model'])) throw new AniraInputError('loadCheckpoint: the checkpoint has no "model" config in its header', { code: 'invalid-file' });
    if (!isObject(meta['policy'])) throw new AniraInputError('loadCheckpoint: the checkpoint has no "policy" in its header', { code: 'invalid-file' });
    const name = meta['policy']['name'] as string;
    // a composed policy records the definition that built it: rebuild through that
    const source = meta['policy']['source'];
    const fromSource = isObject(source) && typeof source['name'] === 'string' && isObject(source['options']);
    const defName = fromSource ? (source['name'] as string) : name;
    const policyOptions = fromSource ? (source['options'] as Record<string, unknown>) : isObject(meta['policy']['options']) ? meta['policy']['options'] : {};
    model = new LoopedTransformer(meta['model'] as unknown as ModelConfig);
    const cfg = model.config;
    const dims: PolicyDims = { dModel: cfg.dModel, vocabSize: cfg.vocabSize, tMax: cfg.tMax, seed: cfg.seed };
    if (options.policy) policy = options.policy(dims, policyOptions);
    else {
      let def;
      try {
        def = getPolicyDefinition(defName);
      } catch (e) {
        if (!AniraInputError.isInstance(e)) throw e;
        throw new AniraInputError(`loadCheckpoint: policy "${defName}" is not built in; pass its factory: loadCheckpoint(source, { policy: (dims, options) => ... })`, { code: 'unknown-name' });
      }
      policy = def.create(dims, policyOptions);
    }
    if (policy.name !== name) throw new AniraInputError(`loadCheckpoint: the policy factory made "${policy.name}", the checkpoint holds "${name}"`);
    const prefix = options.weights === 'best' ? 'best/' : '';
    if (prefix && !Object.keys(tensors).some((k) => k.startsWith(prefix))) throw new AniraInputError('loadCheckpoint: weights "best" requested, the checkpoint has no best-evaluation snapshot');
    const targets: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(model.params)) targets[`model/${k}`] = v;
    for (const [k, v] of Object.entries(policy.variables)) targets[`policy/${k}`] = v;
    for (const [k, v] of Object.entries(targets)) {
      const t = tensors[prefix + k];
      if (!t) throw new AniraInputError(`loadCheckpoint: weight "${prefix + k}" is missing from the checkpoint`, { code: 'invalid-file' });
      if (t.shape.join() !== v.shape.join()) throw new AniraInputError(`loadCheckpoint: weight "${prefix + k}" has shape [${t.shape}] in the checkpoint, the rebuilt model needs [${v.shape}]`, { code: 'invalid-file' });
    }
    for (const k of Object.keys(tensors)) {
      const own = k.startsWith(prefix) ? k.slice(prefix.length) : undefined;
      if (own && (own.startsWith('model/') || own.startsWith('policy/')) && !(own in targets)) {
        throw new AniraInputError(`loadCheckpoint: the checkpoint holds weight "${k}" that the rebuilt ${own.startsWith('model/') ? 'model' : `policy "${name}"`} does not have`, { code: 'invalid-file' });
      }
    }
    for (const [k, v] of Object.entries(targets)) v.assign(tensors[prefix + k]!);
    const best = isObject(meta['best']) && typeof meta['best']['step'] === 'number' ? meta['best']['step'] : undefined;
    const typed = { ...(meta as unknown as CheckpointMeta), ...(best !== undefined ? { bestStep: best } : {}) };
    // a full checkpoint's best snapshot was taken at the best evaluation's update, not at `step`
    if (prefix && meta['bestOnly'] !== true && best !== undefined) return { model, policy, meta: { ...typed, step: best } };
    return { model, policy, meta: typed };
  } catch (e) {
    policy?.dispose();
    model?.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** The checkpoint bytes held by ModelArtifacts written by `saveCheckpoint`. */
export function checkpointFromArtifacts(artifacts: tf.io.ModelArtifacts): Uint8Array {
  if (artifacts.format !== CHECKPOINT_ARTIFACTS_FORMAT) {
    throw new AniraInputError(`loadCheckpoint: the stored artifacts have format ${JSON.stringify(artifacts.format)}, expected "${CHECKPOINT_ARTIFACTS_FORMAT}" (written by saveCheckpoint)`, { code: 'invalid-file' });
  }
  if (!artifacts.weightData) throw new AniraInputError('loadCheckpoint: the stored artifacts have no weight data', { code: 'invalid-file' });
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
}

/** Bytes of `source`: as is, from a load handler, a tf.io URL scheme, or `fetch(url)`. */
export async function readCheckpointSource(source: CheckpointSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source === 'string') {
    const handlers = /^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !/^https?:\/\//i.test(source) ? tf.io.getLoadHandlers(source) : [];
    if (handlers[0]?.load) return checkpointFromArtifacts(await handlers[0].load());
    if (typeof fetch !== 'function') throw new AniraInputError(`loadCheckpoint: cannot fetch "${source}" (no fetch here); pass the bytes`, { code: 'invalid-state' });
    const res = await fetch(source);
    if (!res.ok) throw new AniraInputError(`loadCheckpoint: fetching "${source}" gave HTTP ${res.status}`, { code: 'bad-path' });
    return new Uint8Array(await res.arrayBuffer());
  }
  if (isObject(source) && typeof source.load === 'function') return checkpointFromArtifacts(await source.load());
  if (isObject(source)) throw new AniraInputError('loadCheckpoint: the handler has no load() method');
  throw new AniraInputError('loadCheckpoint: "source" must be checkpoint bytes, an ArrayBuffer, a tf.io load handler or a URL');
}

/**
 * Load a checkpoint for inference: `{ model, policy, meta }` with the saved weights.
 * `source`: bytes, an ArrayBuffer, a tf.io load handler (`tf.io.getLoadHandlers(
 * 'indexeddb://run')[0]`), a tf.io URL, or an http(s)/relative URL to fetch.
 */
export async function loadCheckpoint(source: CheckpointSource, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  return loadCheckpointBytes(await readCheckpointSource(source), options);
}

/**
 * Save checkpoint `bytes` through a tf.io save handler (IndexedDB, local storage,
 * `tf.io.withSaveHandler`...); the file is stored verbatim as the artifacts' weight data.
 * A `string` is resolved with `tf.io.getSaveHandlers` (e.g. `'indexeddb://my-run'`).
 */
export async function saveCheckpoint(bytes: Uint8Array, handler: CheckpointSaveHandler | string): Promise<tf.io.SaveResult> {
  readCheckpointHeader(bytes); // refuse to store anything but a verified checkpoint
  const h: CheckpointSaveHandler | undefined = typeof handler === 'string' ? tf.io.getSaveHandlers(handler)[0] : handler;
  if (!h?.save) {
    throw new AniraInputError(typeof handler === 'string'
      ? `saveCheckpoint: no tf.io save handler for "${handler}" here (IndexedDB and local storage exist in browsers only)`
      : 'saveCheckpoint: "handler" has no save() method');
  }
  const weightData = bytes.slice().buffer;
  return h.save({
    format: CHECKPOINT_ARTIFACTS_FORMAT,
    generatedBy: '@anira/model',
    modelTopology: { format: CHECKPOINT_ARTIFACTS_FORMAT },
    weightSpecs: [{ name: 'anira-checkpoint', shape: [bytes.length], dtype: 'bool' }],
    weightData,
  });
}


/**
 * The model configuration: one object with a documented default for every field,
 * validated with zod. Errors are one line naming the field and its allowed range.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { z } from 'zod';

export type AttentionMode = 'causal' | 'bidirectional';
export type PositionMode = 'learned' | 'sinusoidal' | 'rope' | 'none';

export interface ModelConfig {
  /** Vocabulary size V (required). */
  readonly vocabSize: number;
  /** Longest sequence L the model accepts (required; sizes learned position tables). */
  readonly maxLength: number;
  /** Model width C. Default 64. */
  readonly dModel: number;
  /** Attention heads H; must divide dModel. Default 4. */
  readonly nHeads: number;
  /** MLP hidden width. Default 4 * dModel. */
  readonly dMlp: number;
  /** Unshared layers before the loop; they give the shallow state (what ANIRA-E reads) causal context over the input. Default 1. */
  readonly preludeLayers: number;
  /** Layers R in the shared (weight-tied) block. Default 1. */
  readonly sharedLayers: number;
  /** Training maximum number of iterations T_max. Default 4. */
  readonly tMax: number;
  /** Default 'causal'. */
  readonly attention: AttentionMode;
  /** Default 'learned'. */
  readonly positions: PositionMode;
  /** Add the shallow state h0 to the input of every iteration. Default true. */
  readonly reinject: boolean;
  /** Layer-norm epsilon. Default 1e-5. */
  readonly layerNormEps: number;
  /** Initialisation seed. Default 0. */
  readonly seed: number;
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const FIELDS = {
  vocabSize: [int(2, 1_000_000), 'an integer in [2, 1000000]'],
  maxLength: [int(1, 65_536), 'an integer in [1, 65536]'],
  dModel: [int(4, 8192), 'an integer in [4, 8192]'],
  nHeads: [int(1, 256), 'an integer in [1, 256]'],
  dMlp: [int(1, 65_536), 'an integer in [1, 65536]'],
  preludeLayers: [int(0, 64), 'an integer in [0, 64]'],
  sharedLayers: [int(1, 64), 'an integer in [1, 64]'],
  tMax: [int(1, 1024), 'an integer in [1, 1024]'],
  attention: [z.enum(['causal', 'bidirectional']), "one of 'causal', 'bidirectional'"],
  positions: [z.enum(['learned', 'sinusoidal', 'rope', 'none']), "one of 'learned', 'sinusoidal', 'rope', 'none'"],
  reinject: [z.boolean(), 'a boolean'],
  layerNormEps: [z.number().gt(0).max(1), 'a number in (0, 1]'],
  seed: [int(0, 2 ** 31 - 1), 'an integer in [0, 2147483647]'],
} as const satisfies Record<keyof ModelConfig, readonly [z.ZodType, string]>;

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : String(v));

/** Validate a complete config; throws a one-line error naming the first bad field. */
export function validateModelConfig(config: Readonly<Record<string, unknown>>): ModelConfig {
  for (const key of Object.keys(config)) {
    if (!(key in FIELDS)) throw new AniraInputError(`model config: unknown field "${key}"`, { code: 'unknown-name' });
  }
  for (const [key, [schema, range]] of Object.entries(FIELDS)) {
    const value = config[key];
    if (!schema.safeParse(value).success) {
      throw new AniraInputError(`model config: "${key}" must be ${range}, got ${show(value)}`);
    }
  }
  const c = config as unknown as ModelConfig;
  if (c.dModel % c.nHeads !== 0) {
    throw new AniraInputError(`model config: "nHeads" must divide "dModel" (${c.dModel}), got ${c.nHeads}`);
  }
  if (c.positions === 'rope' && (c.dModel / c.nHeads) % 2 !== 0) {
    throw new AniraInputError(`model config: "positions" 'rope' needs an even head size "dModel"/"nHeads", got ${c.dModel / c.nHeads}`);
  }
  return { ...c };
}

/** The defaults for every field; `vocabSize` and `maxLength` must be given. */
export function defaultModelConfig(
  overrides: Partial<ModelConfig> & Pick<ModelConfig, 'vocabSize' | 'maxLength'>,
): ModelConfig {
  const dModel = overrides.dModel ?? 64;
  return validateModelConfig({
    dModel,
    nHeads: 4,
    dMlp: 4 * dModel,
    preludeLayers: 1,
    sharedLayers: 1,
    tMax: 4,
    attention: 'causal',
    positions: 'learned',
    reinject: true,
    layerNormEps: 1e-5,
    seed: 0,
    ...overrides,
  });
}

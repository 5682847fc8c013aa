/**
 * `defineTask` turns a compact task description (knobs, tokens, features, generator)
 * into a full `Task`: it supplies param resolution, the shared `position`/`size`
 * features, the vocabulary and the renderer, so each task file holds only its logic.
 */
import { AniraInputError } from './errors.js';
import type { Example, FeatureSpec, Rng } from './example.js';
import { resolveWithSpecs } from './params.js';
import { renderExample } from './render.js';
import { SequenceBuilder } from './sequence-builder.js';
import type { ParamSpec, Task, TaskParams } from './task.js';
import { createVocabulary } from './vocabulary.js';
import type { Vocabulary } from './vocabulary.js';

/** What a task file declares. `generate` fills `b` and returns nothing. */
export interface TaskDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly sizeParam: string;
  readonly sizeDescription: string;
  readonly tokens: readonly string[];
  /** Task-specific features (after the shared `position` and `size`). */
  readonly features: readonly FeatureSpec[];
  /** Names of the features (shared `position` and `size` included) that are label proxies; their specs get `proxy: true`. */
  readonly proxies?: readonly string[];
  difficultyRange(params: TaskParams): [number, number];
  maxLength(params: TaskParams): number;
  /** Validates combinations of already-bounded params; throws one-line errors. */
  check?(params: TaskParams): void;
  generate(params: TaskParams, rng: Rng, b: SequenceBuilder, vocab: Vocabulary): void;
}

/** Builds a `Task` from a definition. */
export function defineTask(def: TaskDefinition): Task {
  const vocab = createVocabulary(def.tokens);
  const proxies = new Set(def.proxies ?? []);
  const declared: FeatureSpec[] = [
    { name: 'position', group: 'position', kind: 'numeric', description: 'Sequence index i of the position that emits the target (tracks the algorithm\'s progress).' },
    { name: 'size', group: 'static', kind: 'numeric', description: def.sizeDescription },
    ...def.features,
  ];
  const features = declared.map((f): FeatureSpec => (proxies.has(f.name) ? { ...f, proxy: true } : f));
  for (const name of proxies) if (!features.some((f) => f.name === name)) throw new AniraInputError(`${def.name}: proxy "${name}" is not a feature`);
  if (!Object.hasOwn(def.params, def.sizeParam)) throw new AniraInputError(`${def.name}: sizeParam "${def.sizeParam}" is not a param`);
  for (const [name, spec] of Object.entries(def.params)) {
    if (spec.choices && (spec.min !== 0 || spec.max !== spec.choices.length - 1 || !spec.integer)) {
      throw new AniraInputError(`${def.name}: choice param "${name}" must declare min 0, max ${spec.choices.length - 1} and integer true`);
    }
  }
  const task: Task = {
    name: def.name,
    description: def.description,
    params: def.params,
    sizeParam: def.sizeParam,
    vocab,
    features,
    difficultyRange: (p) => def.difficultyRange(p),
    maxLength: (p) => def.maxLength(p),
    resolveParams: (partial) => resolveWithSpecs(def.name, def.params, partial, def.check ? def.check.bind(def) : undefined),
    generate(params: TaskParams, rng: Rng): Example {
      const size = params[def.sizeParam];
      if (size === undefined) throw new AniraInputError(`${def.name}: params are not resolved (missing "${def.sizeParam}")`, { code: 'invalid-state' });
      const b = new SequenceBuilder(features, size);
      def.generate(params, rng, b, vocab);
      return b.build(def.name, params);
    },
    render: (example) => renderExample(vocab, example),
  };
  return task;
}

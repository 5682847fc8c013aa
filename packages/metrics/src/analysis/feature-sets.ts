/**
 * Named sets of decision-timing features, dropped or fitted together. Drop-one
 * understates features that carry the same information: with two collinear hub
 * features each drop costs nothing, while dropping both costs what they explain. A set
 * (e.g. `{ 'hub structure': ['hub', 'hubs', 'max_degree'] }`) gets the R² lost when all
 * of its features leave the full model, and the R² of depth on the set alone.
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { FeatureColumn } from '../stats/design.js';
import { ols } from '../stats/ols.js';
import type { Trace } from '../trace.js';

export interface FeatureSetResult {
  readonly name: string;
  /** The set's features that are in the model, in the set's order. */
  readonly features: readonly string[];
  /** Named by the set but not in the model: label proxies left out, a feature equal to the label, a constant one. */
  readonly leftOut: readonly string[];
  /** R² of the full model minus R² without every feature of the set (NaN when none is in the model). */
  readonly deltaR2: number;
  /** R² of depth on the set's features alone (NaN when none is in the model or they are constant). */
  readonly r2Alone: number;
}

/** A named set as the option gives it: name -> feature names. */
export type FeatureSets = Readonly<Record<string, readonly string[]>>;

/** The names a set may use on `trace`: the answer step (always in the model) and every feature its header declares. */
const namesOf = (trace: Trace): string[] => ['answer_step', ...trace.header.features.map((f) => f.name)];

/**
 * The sets of `sets` that `trace` can answer: those all of whose features it declares.
 * For applying one list of sets to traces of several tasks (a sweep merge).
 */
export function declaredFeatureSets(trace: Trace, sets: FeatureSets): FeatureSets {
  const known = new Set(namesOf(trace));
  return Object.fromEntries(Object.entries(sets).filter(([, features]) => features.every((x) => known.has(x))));
}

/**
 * Check the sets against the trace's features: every set has a name and at least one
 * feature, and every feature is one the trace declares. One-line errors.
 */
export function checkFeatureSets(sets: FeatureSets, trace: Trace): void {
  const known = namesOf(trace);
  for (const [name, features] of Object.entries(sets)) {
    if (name.trim() === '') throw new AniraInputError('decisionTiming: featureSets: a set needs a name');
    if (features.length === 0) throw new AniraInputError(`decisionTiming: featureSets: set "${name}" names no feature`);
    for (const f of features) {
      if (!known.includes(f)) throw new AniraInputError(`decisionTiming: featureSets: set "${name}" names "${f}", not a feature of this trace (features: ${known.join(', ')})`);
    }
  }
}

/** Each set's drop and alone R², given the model's features (y: per-token depth; r2All: the full model's R²). */
export function featureSetResults(
  y: ArrayLike<number>,
  model: readonly { readonly name: string; readonly columns: readonly FeatureColumn[] }[],
  r2All: number,
  sets: FeatureSets,
): FeatureSetResult[] {
  const all = model.flatMap((f) => f.columns);
  return Object.entries(sets).map(([name, named]) => {
    const inModel = model.filter((f) => named.includes(f.name));
    const leftOut = named.filter((n) => !inModel.some((f) => f.name === n));
    if (inModel.length === 0) return { name, features: [], leftOut, deltaR2: Number.NaN, r2Alone: Number.NaN };
    const setColumns = inModel.flatMap((f) => f.columns);
    const alone = ols(y, setColumns);
    return {
      name,
      features: named.filter((n) => !leftOut.includes(n)),
      leftOut,
      deltaR2: r2All - ols(y, all.filter((c) => !setColumns.includes(c))).r2,
      r2Alone: alone.rank > 1 ? alone.r2 : Number.NaN,
    };
  });
}

/**
 * Decision timing: what drives the depth decision? R² of per-token depth regressed
 * (OLS with intercept) on feature groups, with commonality decompositions:
 *  - two groups, static vs dynamic (r2Static, uniqueStatic, shapleyStatic, ...);
 *  - three groups, static / position / dynamic (`threeWay`, see stats/commonality3.ts);
 *  - drop-one: R² of the full model minus R² without one feature;
 *  - per feature: R² of depth on that feature alone;
 *  - named feature sets (option `featureSets`): R² lost when the whole set is dropped,
 *    and R² of the set alone (feature-sets.ts).
 * Groups: the position group is the answer step (`answer_step`: index of the token
 * among its example's target tokens) as a category, plus the other features declared
 * 'position', also as categories. The absolute sequence index `position` is in no group:
 * on graph tasks it is 2·edges + answer step, collinear with size by construction
 * (perFeature still reports it). The static group holds `size` as a category (when
 * sizes vary); perFeature reports size both as a number (linear) and as a category.
 * Label proxies (features declared `proxy`, docs/metrics.md) are kept out of the static
 * and dynamic groups unless `proxies: 'include'`; `proxies` names them. `collinearity`
 * is the Pearson correlation between the groups' fitted values (how much two groups'
 * explanations coincide; 1 = the same prediction).
 * Missing values (NaN): a numeric feature is imputed 0 with an indicator column
 * `<name>:missing`; for a categorical one missing is its own level. A feature equal to
 * the difficulty label on every token is dropped (it would explain depth by the label).
 * Comparing policies (ANIRA-E vs ANIRA-O) = calling this once per trace.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { commonality, type Commonality } from '../stats/commonality.js';
import { commonality3, type Commonality3 } from '../stats/commonality3.js';
import type { FeatureColumn } from '../stats/design.js';
import { fittedValues, ols, type OlsResult } from '../stats/ols.js';
import { pearsonUnchecked } from '../stats/correlation.js';
import { isConstant } from '../stats/validate.js';
import type { FeatureGroup, Trace } from '../trace.js';
import { tokenTable, traceLabel } from './token-table.js';
import { checkFeatureSets, featureSetResults, type FeatureSetResult, type FeatureSets } from './feature-sets.js';

export interface DecisionTimingOptions {
  /** Response: 'exitDepth' (default) or 'expectedDepth' (every token must have one). */
  readonly response?: 'exitDepth' | 'expectedDepth';
  /** Label proxies in the static/dynamic groups: 'exclude' (default) or 'include'. */
  readonly proxies?: 'exclude' | 'include';
  /** Named feature sets to drop and fit together, e.g. `{ 'hub structure': ['hub', 'hubs', 'max_degree'] }`. */
  readonly featureSets?: FeatureSets;
}

export interface DecisionTimingResult {
  readonly label: string;
  readonly policy: string;
  readonly response: 'exitDepth' | 'expectedDepth';
  readonly tokens: number;
  readonly staticFeatures: readonly string[];
  readonly dynamicFeatures: readonly string[];
  /** Two-group decomposition, static (position excluded) vs dynamic. */
  readonly r2Static: number;
  readonly r2Dynamic: number;
  readonly r2Both: number;
  readonly adjustedR2Both: number;
  readonly uniqueStatic: number;
  readonly uniqueDynamic: number;
  readonly shared: number;
  readonly shapleyStatic: number;
  readonly shapleyDynamic: number;
  readonly fits: Commonality['fits'];
  readonly groups: { readonly static: readonly string[]; readonly position: readonly string[]; readonly dynamic: readonly string[] };
  readonly threeWay: Omit<Commonality3, 'fitAll'>;
  /** R² of the full model minus R² without this one feature. */
  readonly dropOne: readonly { readonly name: string; readonly group: FeatureGroup; readonly deltaR2: number }[];
  /**
   * R² of depth on each feature alone (one OLS per feature, with intercept; one-hot for
   * categorical ones), largest first; size appears as `size (number)` and `size (category)`.
   * NaN where the feature is constant.
   */
  readonly perFeature: readonly { readonly name: string; readonly group: FeatureGroup; readonly r2: number }[];
  /** One entry per set of the `featureSets` option, in its order (empty without the option). */
  readonly featureSets: readonly FeatureSetResult[];
  /** Label proxies left out of the groups ('exclude'), or kept in them ('include'). */
  readonly proxies: readonly string[];
  readonly proxyMode: 'exclude' | 'include';
  /** Pearson correlation between the fitted values of two groups' regressions (NaN when a group is empty or its fit constant). */
  readonly collinearity: { readonly staticPosition: number; readonly staticDynamic: number; readonly positionDynamic: number };
  readonly notes: readonly string[];
}

/** One explaining feature: its design columns (a numeric one with missing values has two). */
interface Feature {
  readonly name: string;
  readonly group: FeatureGroup;
  readonly columns: readonly FeatureColumn[];
}

/** Columns for one feature's values, with missing (NaN) handled as documented above. */
function encode(name: string, kind: 'numeric' | 'categorical', values: readonly number[]): FeatureColumn[] {
  const missing = values.some((v) => Number.isNaN(v));
  if (!missing) return [{ name, kind, values }];
  if (kind === 'categorical') {
    const finite = values.filter((v) => !Number.isNaN(v));
    const code = (finite.length ? Math.max(...finite) : 0) + 1; // the "missing" level
    return [{ name, kind, values: values.map((v) => (Number.isNaN(v) ? code : v)) }];
  }
  return [
    { name, kind, values: values.map((v) => (Number.isNaN(v) ? 0 : v)) },
    { name: `${name}:missing`, kind: 'numeric', values: values.map((v) => (Number.isNaN(v) ? 1 : 0)) },
  ];
}

const r2Of = (y: ArrayLike<number>, cols: readonly FeatureColumn[]): number => {
  const fit = ols(y, cols);
  return fit.rank > 1 ? fit.r2 : Number.NaN;
};

/** R² of per-token depth on static, position and dynamic feature groups for one trace, with commonality parts (see the module comment). */
export function decisionTiming(trace: Trace, options: DecisionTimingOptions = {}): DecisionTimingResult {
  const response = options.response ?? 'exitDepth';
  const proxyMode = options.proxies ?? 'exclude';
  const proxies: string[] = [];
  const specs = trace.header.features;
  if (options.featureSets) checkFeatureSets(options.featureSets, trace);
  const raw = new Map(specs.map((f) => [f.name, [] as number[]]));
  const y: number[] = [];
  trace.examples.forEach((ex, e) =>
    ex.tokens.forEach((tok, i) => {
      const v = response === 'exitDepth' ? tok.exitDepth : tok.expectedDepth;
      if (v === null) throw new AniraInputError(`decisionTiming: example ${e} token ${i} has expectedDepth null; use response "exitDepth"`);
      y.push(v);
      for (const f of specs) {
        // The declared group's record first; a writer that files the value under another
        // group (e.g. `position` kept in 'static' by a version 1 writer) is still read.
        const value = tok.features[f.group]?.[f.name] ?? tok.features.static[f.name] ?? tok.features.position?.[f.name] ?? tok.features.dynamic[f.name];
        if (value === undefined) throw new AniraInputError(`decisionTiming: example ${e} token ${i} lacks ${f.group} feature "${f.name}"`);
        raw.get(f.name)!.push(value);
      }
    }),
  );
  const t = tokenTable(trace);
  const notes = new Set<string>();
  const features: Feature[] = [];
  const perFeatureExtra: { name: string; group: FeatureGroup; r2: number }[] = [];
  features.push({ name: 'answer_step', group: 'position', columns: [{ name: 'answer_step', kind: 'categorical', values: t.answerIndex }] });
  const absolute = raw.get('position') ?? Array.from(t.position);
  perFeatureExtra.push({ name: 'position (absolute, no group)', group: 'position', r2: r2Of(y, [{ name: 'position', values: absolute }]) });
  const sizeValues = raw.get('size') ?? Array.from(t.size);
  for (const f of specs) {
    const values = raw.get(f.name)!;
    if (values.every((v, i) => v === t.difficulty[i])) {
      notes.add(`feature "${f.name}" equals the difficulty label on every token: not used as an explaining feature`);
      continue;
    }
    if (f.name === 'size' || f.name === 'position' || f.name === 'answer_index') continue; // size: both encodings below; position: no group
    if (f.proxy === true && f.group !== 'position') {
      proxies.push(f.name);
      if (proxyMode === 'exclude') continue;
    }
    // a position feature is a control: categorical
    features.push({ name: f.name, group: f.group, columns: encode(f.name, f.group === 'position' ? 'categorical' : f.kind, values) });
  }
  if (!sizeValues.every((v, i) => v === t.difficulty[i])) {
    const sizeNumeric = encode('size', 'numeric', sizeValues);
    const sizeCategory = encode('size', 'categorical', sizeValues);
    perFeatureExtra.push({ name: 'size (number)', group: 'static', r2: r2Of(y, sizeNumeric) });
    perFeatureExtra.push({ name: 'size (category)', group: 'static', r2: r2Of(y, sizeCategory) });
    if (!isConstant(sizeValues)) features.push({ name: 'size', group: 'static', columns: sizeCategory });
  }
  const cols = (g: FeatureGroup): FeatureColumn[] => features.filter((f) => f.group === g).flatMap((f) => f.columns);
  const names = (g: FeatureGroup): string[] => features.filter((f) => f.group === g).map((f) => f.name);
  const cm = commonality(y, cols('static'), cols('dynamic'));
  const { fitAll, ...threeWay } = commonality3(y, { static: cols('static'), position: cols('position'), dynamic: cols('dynamic') });
  const fits: [string, OlsResult][] = [['static', cm.fits.static], ['dynamic', cm.fits.dynamic], ['static+dynamic', cm.fits.both], ['all-groups', fitAll]];
  for (const [name, fit] of fits) for (const note of fit.notes) notes.add(`${name} model: ${note}`);
  const all = features.flatMap((f) => f.columns);
  const dropOne = features.map((f) => ({
    name: f.name,
    group: f.group,
    deltaR2: threeWay.r2.all - ols(y, all.filter((c) => !f.columns.includes(c))).r2,
  }));
  const groupFit = (g: FeatureGroup): Float64Array | undefined => {
    const c = cols(g);
    if (c.length === 0) return undefined;
    const fit = ols(y, c);
    return fit.rank > 1 ? fittedValues(c, fit) : undefined;
  };
  const fitted = { static: groupFit('static'), position: groupFit('position'), dynamic: groupFit('dynamic') };
  const corr = (a: Float64Array | undefined, b: Float64Array | undefined) => (a && b ? pearsonUnchecked(a, b) : Number.NaN);
  const collinearity = {
    staticPosition: corr(fitted.static, fitted.position),
    staticDynamic: corr(fitted.static, fitted.dynamic),
    positionDynamic: corr(fitted.position, fitted.dynamic),
  };
  const byR2 = (a: { r2: number }, b: { r2: number }): number => (Number.isNaN(a.r2) ? 1 : Number.isNaN(b.r2) ? -1 : b.r2 - a.r2);
  const perFeature = [
    ...features.filter((f) => f.name !== 'size').map((f) => ({ name: f.name, group: f.group, r2: r2Of(y, f.columns) })),
    ...perFeatureExtra,
  ].sort(byR2);
  return {
    label: traceLabel(trace),
    policy: trace.header.policy,
    response,
    tokens: y.length,
    staticFeatures: names('static'),
    dynamicFeatures: names('dynamic'),
    r2Static: cm.r2Static,
    r2Dynamic: cm.r2Dynamic,
    r2Both: cm.r2Both,
    adjustedR2Both: cm.fits.both.adjustedR2,
    uniqueStatic: cm.uniqueStatic,
    uniqueDynamic: cm.uniqueDynamic,
    shared: cm.shared,
    shapleyStatic: cm.shapleyStatic,
    shapleyDynamic: cm.shapleyDynamic,
    fits: cm.fits,
    groups: { static: names('static'), position: names('position'), dynamic: names('dynamic') },
    threeWay,
    dropOne,
    perFeature,
    featureSets: options.featureSets ? featureSetResults(y, features, threeWay.r2.all, options.featureSets) : [],
    proxies,
    proxyMode,
    collinearity,
    notes: [...notes],
  };
}

/**
 * Decision timing: what drives the depth decision? R^2 of per-token depth regressed
 * (OLS with intercept) on the static features, on the dynamic features and on both,
 * with the commonality decomposition (unique static, unique dynamic, shared) and the
 * two-group Shapley shares. Features and their kinds come from header.features.
 * Comparing policies (ANIRA-E vs ANIRA-O) = calling this once per trace.
 */
import { commonality, type Commonality } from '../stats/commonality.js';
import type { FeatureColumn } from '../stats/design.js';
import { ols, type OlsResult } from '../stats/ols.js';
import type { Trace } from '../trace.js';
import { traceLabel } from './token-table.js';

export interface DecisionTimingOptions {
  /** Response: 'exitDepth' (default) or 'expectedDepth' (every token must have one). */
  readonly response?: 'exitDepth' | 'expectedDepth';
}

export interface DecisionTimingResult {
  readonly label: string;
  readonly policy: string;
  readonly response: 'exitDepth' | 'expectedDepth';
  readonly tokens: number;
  readonly staticFeatures: readonly string[];
  readonly dynamicFeatures: readonly string[];
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
  /**
   * R² of depth on each feature alone (one OLS per feature, with intercept; one-hot for
   * categorical ones), largest first. Answers "how much does graph size alone explain?".
   * NaN where the feature is constant.
   */
  readonly perFeature: readonly { readonly name: string; readonly group: 'static' | 'dynamic'; readonly r2: number }[];
  readonly notes: readonly string[];
}

export function decisionTiming(trace: Trace, options: DecisionTimingOptions = {}): DecisionTimingResult {
  const response = options.response ?? 'exitDepth';
  const specs = trace.header.features;
  const cols = new Map(specs.map((f) => [f.name, [] as number[]]));
  const y: number[] = [];
  trace.examples.forEach((ex, e) =>
    ex.tokens.forEach((tok, i) => {
      const v = response === 'exitDepth' ? tok.exitDepth : tok.expectedDepth;
      if (v === null) throw new Error(`decisionTiming: example ${e} token ${i} has expectedDepth null; use response "exitDepth"`);
      y.push(v);
      for (const f of specs) {
        const value = tok.features[f.group][f.name];
        if (value === undefined) throw new Error(`decisionTiming: example ${e} token ${i} lacks ${f.group} feature "${f.name}"`);
        cols.get(f.name)!.push(value);
      }
    }),
  );
  const group = (g: 'static' | 'dynamic'): FeatureColumn[] =>
    specs.filter((f) => f.group === g).map((f) => ({ name: f.name, kind: f.kind, values: cols.get(f.name)! }));
  const cm = commonality(y, group('static'), group('dynamic'));
  const notes = new Set<string>();
  const fits: [string, OlsResult][] = [['static', cm.fits.static], ['dynamic', cm.fits.dynamic], ['both', cm.fits.both]];
  for (const [name, fit] of fits) for (const note of fit.notes) notes.add(`${name} model: ${note}`);
  const perFeature = specs
    .map((f) => {
      const single = ols(y, [{ name: f.name, kind: f.kind, values: cols.get(f.name)! }]);
      return { name: f.name, group: f.group, r2: single.rank > 1 ? single.r2 : Number.NaN };
    })
    .sort((a, b) => (Number.isNaN(a.r2) ? 1 : Number.isNaN(b.r2) ? -1 : b.r2 - a.r2));
  return {
    label: traceLabel(trace),
    policy: trace.header.policy,
    response,
    tokens: y.length,
    staticFeatures: group('static').map((f) => f.name),
    dynamicFeatures: group('dynamic').map((f) => f.name),
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
    perFeature,
    notes: [...notes],
  };
}

/**
 * Variance decomposition between two feature groups (static vs dynamic) by
 * commonality analysis: with R^2_S, R^2_D, R^2_SD the R^2 of OLS fits on static only,
 * dynamic only and both,
 *   unique(static) = R^2_SD - R^2_D, unique(dynamic) = R^2_SD - R^2_S,
 *   shared = R^2_S + R^2_D - R^2_SD   (can be negative under suppression),
 * and the three parts sum to R^2_SD. For two groups the Shapley (LMG) share of each
 * group is its unique part plus half the shared part, so both are reported.
 * An empty group has R^2 = 0 (intercept-only model).
 */
import type { FeatureColumn } from './design.js';
import { ols, type OlsResult } from './ols.js';

export interface Commonality {
  readonly r2Static: number;
  readonly r2Dynamic: number;
  readonly r2Both: number;
  readonly uniqueStatic: number;
  readonly uniqueDynamic: number;
  readonly shared: number;
  readonly shapleyStatic: number;
  readonly shapleyDynamic: number;
  readonly fits: { readonly static: OlsResult; readonly dynamic: OlsResult; readonly both: OlsResult };
}

/** Commonality analysis of `y` on two groups of features. */
export function commonality(
  y: ArrayLike<number>,
  staticFeatures: readonly FeatureColumn[],
  dynamicFeatures: readonly FeatureColumn[],
): Commonality {
  const fitS = ols(y, staticFeatures);
  const fitD = ols(y, dynamicFeatures);
  const fitB = ols(y, [...staticFeatures, ...dynamicFeatures]);
  const rS = fitS.r2;
  const rD = fitD.r2;
  const rB = fitB.r2;
  const uniqueStatic = rB - rD;
  const uniqueDynamic = rB - rS;
  const shared = rS + rD - rB;
  return {
    r2Static: rS,
    r2Dynamic: rD,
    r2Both: rB,
    uniqueStatic,
    uniqueDynamic,
    shared,
    shapleyStatic: uniqueStatic + shared / 2,
    shapleyDynamic: uniqueDynamic + shared / 2,
    fits: { static: fitS, dynamic: fitD, both: fitB },
  };
}

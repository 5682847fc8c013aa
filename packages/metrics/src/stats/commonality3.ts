/**
 * Variance decomposition among three feature groups (static S, position P, dynamic D)
 * by commonality analysis. With R²_X the R² of the OLS fit (with intercept) on the
 * union of groups X (7 fits: S, P, D, SP, SD, PD, SPD):
 *   unique(S) = R²_SPD - R²_PD                        (likewise P, D)
 *   shared(S,P) only = R²_SD + R²_PD - R²_D - R²_SPD   (likewise SD, PD)
 *   shared(S,P,D)    = R²_S + R²_P + R²_D - R²_SP - R²_SD - R²_PD + R²_SPD
 * and the 7 parts sum to R²_SPD (parts can be negative under suppression).
 * Shapley (LMG) share of a group = its marginal R² averaged over the 6 orderings:
 *   Sh(S) = [2 R²_S + (R²_SP - R²_P) + (R²_SD - R²_D) + 2 (R²_SPD - R²_PD)] / 6,
 * and the three shares sum to R²_SPD. An empty union has R² = 0 (intercept only).
 */
import type { FeatureColumn } from './design.js';
import { ols, type OlsResult } from './ols.js';

export interface ThreeGroups<T> {
  readonly static: T;
  readonly position: T;
  readonly dynamic: T;
}

export interface Commonality3 {
  readonly r2: { readonly static: number; readonly position: number; readonly dynamic: number; readonly staticPosition: number; readonly staticDynamic: number; readonly positionDynamic: number; readonly all: number };
  readonly unique: ThreeGroups<number>;
  /** Parts shared by exactly these groups; with `unique` they sum to r2.all. */
  readonly shared: { readonly staticPosition: number; readonly staticDynamic: number; readonly positionDynamic: number; readonly all: number };
  /** Average marginal R² over the 6 orderings of the groups; sums to r2.all. */
  readonly shapley: ThreeGroups<number>;
  /** The fit on all three groups. */
  readonly fitAll: OlsResult;
}

/** Commonality analysis of `y` on three groups of features. A constant y gives NaN everywhere. */
export function commonality3(y: ArrayLike<number>, groups: ThreeGroups<readonly FeatureColumn[]>): Commonality3 {
  const { static: s, position: p, dynamic: d } = groups;
  const r2 = (cols: readonly FeatureColumn[]): number => (cols.length === 0 ? 0 : ols(y, cols).r2);
  const fitAll = ols(y, [...s, ...p, ...d]);
  const S = r2(s), P = r2(p), D = r2(d);
  const SP = r2([...s, ...p]), SD = r2([...s, ...d]), PD = r2([...p, ...d]);
  const all = fitAll.r2;
  const shapley = (a: number, ab: number, b: number, ac: number, c: number, bc: number): number =>
    (2 * a + (ab - b) + (ac - c) + 2 * (all - bc)) / 6;
  return {
    r2: { static: S, position: P, dynamic: D, staticPosition: SP, staticDynamic: SD, positionDynamic: PD, all },
    unique: { static: all - PD, position: all - SD, dynamic: all - SP },
    shared: {
      staticPosition: SD + PD - D - all,
      staticDynamic: SP + PD - P - all,
      positionDynamic: SP + SD - S - all,
      all: S + P + D - SP - SD - PD + all,
    },
    shapley: {
      static: shapley(S, SP, P, SD, D, PD),
      position: shapley(P, SP, S, PD, D, SD),
      dynamic: shapley(D, SD, S, PD, P, SP),
    },
    fitAll,
  };
}

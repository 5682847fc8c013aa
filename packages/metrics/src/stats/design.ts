/**
 * Design matrices from named feature columns: numeric columns pass through,
 * categorical columns become one-hot indicators with the lowest level dropped
 * (it is the reference level absorbed by the intercept). Column names are
 * `feature` for numeric and `feature=level` for indicators.
 */
import { AniraInputError } from '@anira/tasks/errors';

/** One named feature column, one value per observation. */
export interface FeatureColumn {
  readonly name: string;
  readonly values: ArrayLike<number>;
  /** Default 'numeric'. */
  readonly kind?: 'numeric' | 'categorical';
}

/** One column of the design matrix (the intercept is not included). */
export interface DesignColumn {
  readonly name: string;
  /** The feature it came from. */
  readonly feature: string;
  readonly values: Float64Array;
}

/** Expands features into design columns. Throws on length mismatch or non-finite values. */
export function buildDesign(features: readonly FeatureColumn[], n: number): DesignColumn[] {
  const out: DesignColumn[] = [];
  for (const f of features) {
    if (f.values.length !== n) throw new AniraInputError(`design: feature "${f.name}" must have ${n} values, got ${f.values.length}`);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(f.values[i])) throw new AniraInputError(`design: feature "${f.name}"[${i}] must be a finite number, got ${String(f.values[i])}`);
    if ((f.kind ?? 'numeric') === 'numeric') {
      out.push({ name: f.name, feature: f.name, values: Float64Array.from(f.values as ArrayLike<number>) });
      continue;
    }
    const levels = [...new Set(Array.from(f.values as ArrayLike<number>))].sort((a, b) => a - b);
    for (const level of levels.slice(1)) {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = f.values[i] === level ? 1 : 0;
      out.push({ name: `${f.name}=${level}`, feature: f.name, values: col });
    }
  }
  return out;
}

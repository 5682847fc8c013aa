/**
 * Vega-Lite specs for the report's plots. Pure data -> JSON; rendering is in
 * render-svg.ts. Every plot has a title, axis titles and a legend.
 */
import type { Trace } from '../trace.js';
import type { GeneralizationRow } from '../analysis/generalization.js';
import type { ParetoPoint } from '../analysis/efficiency.js';

export type VlSpec = Record<string, unknown>;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const base = (title: string, subtitle?: string): VlSpec => ({
  $schema: SCHEMA,
  title: subtitle ? { text: title, subtitle } : { text: title },
  width: 420,
  height: 260,
  config: { font: 'sans-serif', axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 }, legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400 } },
});

/** Exit depth vs difficulty: share of each difficulty's tokens exiting at each depth. */
export function depthHeatmapSpec(trace: Trace, series: string): VlSpec {
  const counts = new Map<string, number>();
  const perDifficulty = new Map<number, number>();
  for (const ex of trace.examples)
    for (const t of ex.tokens) {
      const key = `${t.difficulty}|${t.exitDepth}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      perDifficulty.set(t.difficulty, (perDifficulty.get(t.difficulty) ?? 0) + 1);
    }
  const values = [...counts.entries()].map(([k, count]) => {
    const [difficulty, depth] = k.split('|').map(Number) as [number, number];
    return { difficulty, depth, count, share: count / perDifficulty.get(difficulty)! };
  });
  const depths = Array.from({ length: trace.header.tMax }, (_, i) => trace.header.tMax - i);
  return {
    ...base(`Exit depth vs difficulty: ${series}`, 'colour = share of the tokens of that difficulty; number = token count'),
    data: { values },
    encoding: {
      x: { field: 'difficulty', type: 'ordinal', title: 'difficulty (ground-truth complexity)', axis: { labelAngle: 0 } },
      y: { field: 'depth', type: 'ordinal', title: 'exit depth (iterations)', scale: { domain: depths } },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'share', type: 'quantitative', title: 'share of tokens', scale: { scheme: 'blues', domain: [0, 1] } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' } } },
    ],
  };
}

/** Ranges of training sizes to shade, deduplicated. */
function trainBands(ranges: readonly (readonly number[])[]): { lo: number; hi: number; band: string }[] {
  const seen = new Map<string, { lo: number; hi: number; band: string }>();
  for (const r of ranges) {
    if (r.length === 0) continue;
    const lo = Math.min(...r) - 0.5, hi = Math.max(...r) + 0.5;
    seen.set(`${lo}|${hi}`, { lo, hi, band: `training sizes ${Math.min(...r)}–${Math.max(...r)}` });
  }
  return [...seen.values()];
}

/** A metric vs input size, one line per series, training range shaded. */
export function bySizeSpec(
  rows: readonly (GeneralizationRow & { series: string })[],
  trainSizes: readonly (readonly number[])[],
  metric: 'accuracy' | 'meanDepth',
): VlSpec {
  const values =
    metric === 'accuracy'
      ? rows.flatMap((r) => [
          { series: r.series, size: r.size, value: r.tokenAccuracy, measure: 'token accuracy' },
          { series: r.series, size: r.size, value: r.exactMatch, measure: 'exact match' },
        ])
      : rows.map((r) => ({ series: r.series, size: r.size, value: r.meanDepth, measure: 'mean exit depth' }));
  const title = metric === 'accuracy' ? 'Accuracy vs input size' : 'Mean exit depth vs input size';
  const yTitle = metric === 'accuracy' ? 'accuracy' : 'mean exit depth (iterations)';
  return {
    ...base(title, metric === 'accuracy' ? 'shaded = training sizes · solid = token accuracy · dashed = exact match' : 'shaded = sizes seen in training (outside = out-of-distribution)'),
    layer: [
      { data: { values: trainBands(trainSizes) }, mark: { type: 'rect', opacity: 0.15, color: '#2ca02c' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      {
        data: { values },
        mark: { type: 'line', point: metric !== 'accuracy' },
        encoding: {
          x: { field: 'size', type: 'quantitative', title: 'input size', scale: { zero: false }, axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'value', type: 'quantitative', title: yTitle, ...(metric === 'accuracy' ? { scale: { domain: [0, 1] } } : {}) },
          color: { field: 'series', type: 'nominal', title: 'run' },
          ...(metric === 'accuracy' ? { strokeDash: { field: 'measure', type: 'nominal', title: 'measure', scale: { domain: ['token accuracy', 'exact match'], range: [[1, 0], [5, 3]] }, legend: { symbolType: 'stroke', symbolStrokeColor: '#333', symbolStrokeWidth: 2, symbolSize: 400 } } } : {}),
        },
      },
    ],
  };
}

/** Stacked commonality parts of R^2 per series. */
export function varianceSpec(rows: readonly { series: string; uniqueStatic: number; shared: number; uniqueDynamic: number }[]): VlSpec {
  const parts = ['unique static', 'shared', 'unique dynamic'];
  const values = rows.flatMap((r) => [
    { series: r.series, part: parts[0], order: 0, value: r.uniqueStatic },
    { series: r.series, part: parts[1], order: 1, value: r.shared },
    { series: r.series, part: parts[2], order: 2, value: r.uniqueDynamic },
  ]);
  return {
    ...base('Depth variance explained: static vs dynamic features', 'OLS R² split by commonality analysis; bar length = R² with both groups'),
    height: Math.max(60, 40 * rows.length),
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'series', type: 'nominal', title: 'run' },
      x: { field: 'value', type: 'quantitative', title: 'share of depth variance (R²)', stack: 'zero', scale: { domain: [0, 1] } },
      color: { field: 'part', type: 'nominal', title: 'component', scale: { domain: parts, range: ['#1f77b4', '#bbbbbb', '#ff7f0e'] } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

/** Accuracy vs compute per series; Pareto-optimal points filled. */
export function paretoSpec(points: readonly (ParetoPoint & { series: string })[]): VlSpec {
  const values = points.map((p) => ({ ...p, front: p.onFront ? 'Pareto-optimal' : 'dominated' }));
  return {
    ...base('Accuracy vs compute', 'one point per trace; circle = Pareto-optimal (no other trace is as accurate for less compute), cross = dominated'),
    data: { values },
    encoding: {
      x: { field: 'compute', type: 'quantitative', title: 'executed FLOPs per token', scale: { zero: false } },
      y: { field: 'accuracy', type: 'quantitative', title: 'token accuracy', scale: { zero: false } },
    },
    layer: [
      {
        mark: { type: 'point', size: 140, filled: true },
        encoding: {
          color: { field: 'series', type: 'nominal', title: 'run' },
          shape: { field: 'front', type: 'nominal', title: 'status', scale: { domain: ['Pareto-optimal', 'dominated'], range: ['circle', 'cross'] } },
        },
      },
      { mark: { type: 'text', dy: -12, fontSize: 10 }, encoding: { text: { field: 'series', type: 'nominal' } } },
    ],
  };
}

/** Training curves: one panel per measure, one line per run. */
export function trainingSpec(rows: readonly { run: string; step: number; measure: string; value: number }[]): VlSpec {
  return {
    $schema: SCHEMA,
    title: { text: 'Training curves' },
    data: { values: rows },
    facet: { column: { field: 'measure', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 200,
      mark: 'line',
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'training step' },
        y: { field: 'value', type: 'quantitative', title: 'value', scale: { zero: false } },
        color: { field: 'run', type: 'nominal', title: 'run' },
      },
    },
  };
}

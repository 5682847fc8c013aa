/**
 * renderReport: a self-contained HTML report (inline SVG plots, no network) comparing
 * runs side by side: depth-vs-difficulty heatmaps, accuracy and depth vs input size
 * with the training range shaded, static-vs-dynamic variance bars, accuracy-compute
 * points, a per-token view, the analysis tables and optional training curves.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { alignment } from '../analysis/alignment.js';
import { decisionTiming } from '../analysis/decision-timing.js';
import { efficiency, efficiencyPareto } from '../analysis/efficiency.js';
import { fmtP } from '../analysis/format-table.js';
import { generalization } from '../analysis/generalization.js';
import { htmlTable, page, pickExamples, tokenView, esc } from './html.js';
import { renderSvg } from './render-svg.js';
import { bySizeSpec, depthHeatmapSpec, paretoSpec, trainingSpec, varianceSpec } from './specs.js';
import { seriesLabel, type Report, type ReportOptions, type ReportRun } from './types.js';

const ciText = (c: { lower: number; upper: number }): string => (Number.isFinite(c.lower) && Number.isFinite(c.upper) ? `[${c.lower.toFixed(3)}, ${c.upper.toFixed(3)}]` : 'n/a');

/**
 * Render the HTML report (tables and SVG plots) for one or more runs, each with one or
 * more traces. Returns the page and each plot's SVG; writes nothing (see
 * `writeReport` in `@anira/metrics/node`). Needs vega and vega-lite installed.
 */
export async function renderReport(runs: readonly ReportRun[], options: ReportOptions = {}): Promise<Report> {
  if (runs.length === 0) throw new AniraInputError('renderReport: runs must contain at least 1 run, got 0', { code: 'insufficient-data' });
  runs.forEach((r, i) => { if (r.traces.length === 0) throw new AniraInputError(`renderReport: runs[${i}].traces must contain at least 1 trace, got 0`, { code: 'insufficient-data' }); });
  const title = options.title ?? 'ANIRA analysis report';
  const boot = { resamples: options.resamples ?? 1000, seed: options.seed ?? 0 };
  const items = runs.flatMap((run) => run.traces.map((trace) => ({ run, trace, series: seriesLabel(run, trace) })));
  const svgs: Record<string, string> = {};
  const plot = async (key: string, spec: Record<string, unknown>): Promise<string> => {
    svgs[key] = await renderSvg(spec);
    return `<div class="plot">${svgs[key]}</div>`;
  };

  // Alignment: heatmap + tables per trace, side by side.
  const alignCards: string[] = [];
  for (const [i, it] of items.entries()) {
    const a = alignment(it.trace, boot);
    const corr: (string | number)[][] = [];
    const why = a.undefinedReason;
    const val = (v: number): string | number => (why !== undefined && Number.isNaN(v) ? why : v);
    for (const [what, c, partial] of [['exit depth', a.exitDepth, a.partial.exitDepth], ['expected depth', a.expectedDepth, a.partial.expectedDepth]] as const) {
      if (!c) continue;
      corr.push([what, 'Spearman ρ', val(c.spearman.statistic), ciText(c.spearman.ci), fmtP(c.spearman.pValue)]);
      corr.push([what, 'Kendall τ-b', val(c.kendall.statistic), ciText(c.kendall.ci), fmtP(c.kendall.pValue)]);
      if (partial) corr.push([what, `partial ρ | ${a.partial.covariates.join(' × ')} (cells)`, val(partial.statistic), ciText(partial.ci), fmtP(partial.pValue)]);
    }
    const b = a.positionBaseline;
    const controls: (string | number)[][] = [
      ['R² of depth on answer step alone (one-hot)', val(b.depthR2)],
      ['R² of difficulty on answer step alone (one-hot)', val(b.difficultyR2)],
      [`ρ within (size, answer step) cells (${a.stratified.positions} cells, ${a.stratified.tokens} tokens)`, a.stratified.positions > 0 ? a.stratified.spearman : 'no cell with ≥ 20 tokens and variance in both'],
    ];
    const alignNotes = [why, a.partial.note].filter((n): n is string => n !== undefined);
    alignCards.push(`<div class="run"><h3>${esc(it.series)}</h3>${await plot(`heatmap-${i}`, depthHeatmapSpec(it.trace, it.series))}
${htmlTable(['depth', 'statistic', 'value', '95% CI (examples resampled)', 'p (two-sided)'], corr, `Correlation with difficulty (${a.tokens} tokens, ${a.examples} examples)`)}
${alignNotes.length ? `<p class="note">${alignNotes.map(esc).join('<br>')}</p>` : ''}
${htmlTable(['control', 'value'], controls, 'Position controls')}
${htmlTable(['difficulty', 'tokens', 'mean depth', 'sd depth', 'accuracy'], a.byDifficulty.map((r) => [r.difficulty, r.tokens, r.meanDepth, r.sdDepth, r.accuracy]), 'Per difficulty')}</div>`);
  }

  // Generalization across all traces.
  const gen = items.map((it) => ({ it, g: generalization([it.trace]) }));
  const sizeRows = gen.flatMap(({ it, g }) => g.bySize.map((r) => ({ ...r, series: it.series })));
  const bands = items.map((it) => it.trace.header.trainSizes);
  const genHtml = `<div class="runs"><div class="run">${await plot('accuracy-by-size', bySizeSpec(sizeRows, bands, 'accuracy'))}</div><div class="run">${await plot('depth-by-size', bySizeSpec(sizeRows, bands, 'meanDepth'))}</div></div>
${htmlTable(['run', 'T_max', 'split', 'examples', 'tokens', 'token accuracy', 'exact match', 'mean depth'], gen.flatMap(({ it, g }) => g.splits.map((s) => [it.series, s.tMax, s.split === 'in' ? 'in-distribution' : 'out-of-distribution', s.examples, s.tokens, s.tokenAccuracy, s.exactMatch, s.meanDepth])), 'In- vs out-of-distribution (by training size range); rows with different T_max show the effect of raising T_max at inference')}
${htmlTable(['run', 'T_max', 'size', 'split', 'examples', 'token accuracy', 'exact match', 'mean depth'], sizeRows.map((r) => [r.series, r.tMax, r.size, r.inDistribution ? 'in' : 'out', r.examples, r.tokenAccuracy, r.exactMatch, r.meanDepth]), 'Per input size')}`;

  // Decision timing.
  const dts = items.map((it) => ({ series: it.series, d: decisionTiming(it.trace) }));
  const notes = dts.flatMap(({ series, d }) => d.notes.map((n) => `${series}: ${n}`));
  const dtHtml = `${await plot('variance-static-dynamic', varianceSpec(dts.map(({ series, d }) => ({ series, ...d }))))}
${htmlTable(['run', 'R² static', 'R² dynamic', 'R² both', 'adj. R² both', 'unique static', 'unique dynamic', 'shared', 'Shapley static', 'Shapley dynamic'], dts.map(({ series, d }) => [series, d.r2Static, d.r2Dynamic, d.r2Both, d.adjustedR2Both, d.uniqueStatic, d.uniqueDynamic, d.shared, d.shapleyStatic, d.shapleyDynamic]), 'OLS of exit depth on token features (static = visible in the input; dynamic = reference algorithm state)')}
${htmlTable(['run', 'R² S', 'R² P', 'R² D', 'R² all', 'unique S', 'unique P', 'unique D', 'shared SP', 'shared SD', 'shared PD', 'shared SPD', 'Shapley S', 'Shapley P', 'Shapley D'],
    dts.map(({ series, d: { threeWay: w } }) => [series, w.r2.static, w.r2.position, w.r2.dynamic, w.r2.all, w.unique.static, w.unique.position, w.unique.dynamic,
      w.shared.staticPosition, w.shared.staticDynamic, w.shared.positionDynamic, w.shared.all, w.shapley.static, w.shapley.position, w.shapley.dynamic]),
    'Three groups: static (S), position (P: position, answer index), dynamic (D); commonality parts and Shapley shares')}
${htmlTable(['run', 'feature', 'group', 'ΔR² when dropped'], dts.flatMap(({ series, d }) => d.dropOne.map((f) => [series, f.name, f.group, f.deltaR2])), 'Drop-one: R² of the full model minus R² without the feature')}
${notes.length ? `<p class="note">${notes.map(esc).join('<br>')}</p>` : ''}`;

  // Efficiency.
  const eff = items.map((it) => ({ series: it.series, e: efficiency(it.trace) }));
  const pareto = efficiencyPareto(items.map((it) => it.trace)).map((p, i) => ({ ...p, series: items[i]!.series }));
  const effHtml = `${await plot('accuracy-vs-compute', paretoSpec(pareto))}
${htmlTable(['run', 'T_max', 'tokens', 'mean depth', 'depth / T_max', 'executed FLOPs', 'fixed-depth FLOPs', 'ratio', 'token accuracy', 'Pareto-optimal'], eff.map(({ series, e }, i) => [series, e.tMax, e.tokens, e.meanDepth, e.depthFraction, e.executedFlops.toExponential(3), e.fixedDepthFlops.toExponential(3), e.flopsRatio, e.tokenAccuracy, pareto[i]!.onFront ? 'yes' : 'no']), 'Compute')}`;

  // Per-token view.
  const k = options.examplesPerTrace ?? 3;
  const tokHtml = `<div class="runs">${items.map((it) => `<div class="run"><h3>${esc(it.series)}</h3>${tokenView(it.trace, pickExamples(it.trace.examples, k), it.run.vocab)}</div>`).join('')}</div>`;

  // Training curves.
  const logRows = runs.flatMap((r) => (r.trainingLog ?? []).flatMap((e) => [
    { run: r.label, step: e.step, measure: 'loss', value: e.loss },
    ...(e.accuracy !== undefined ? [{ run: r.label, step: e.step, measure: 'accuracy', value: e.accuracy }] : []),
    ...(e.meanDepth !== undefined ? [{ run: r.label, step: e.step, measure: 'mean depth', value: e.meanDepth }] : []),
  ]));
  const trainHtml = logRows.length ? `<h2 id="training">Training</h2>${await plot('training', trainingSpec(logRows))}` : '';

  const body = `<p class="note">Runs: ${runs.map((r) => esc(r.label)).join(', ')}. CIs: percentile cluster bootstrap over examples (${boot.resamples} resamples, seed ${boot.seed}). p-values: Spearman by t approximation, Kendall by normal approximation with tie-corrected variance. Definitions: docs/metrics.md.</p>
<h2 id="alignment">Alignment: does compute follow complexity?</h2><div class="runs">${alignCards.join('')}</div>
<h2 id="generalization">Generalization to input sizes</h2>${genHtml}
<h2 id="decision-timing">Decision timing: static cues vs execution state</h2>${dtHtml}
<h2 id="efficiency">Efficiency</h2>${effHtml}
<h2 id="tokens">Per-token view</h2>${tokHtml}${trainHtml}`;
  return { html: page(title, body), svgs };
}

/**
 * The headline numbers of a run (`summary.json`). `stopped` is steps /
 * target-accuracy / patience / already-complete; `bestStep` is the update whose
 * weights (the best held-out evaluation, `best.anira`) were evaluated and traced.
 * `heldOut` is the selection set's evaluation (it chose those weights, so it is
 * optimistic); `analysis` is the in-distribution token accuracy of the analysis set
 * (the traced examples at the training sizes), the accuracy to report; `splits` counts
 * the inputs the three sets share (0 by construction). A gated curriculum adds
 * `curriculum`: its gate accuracy, each size it opened with the update after which it
 * opened (`step`) and the first training example drawing from it (`index`), and the
 * sizes it never opened (`closed`). A run started from another run's weights (`init`)
 * adds `init`: the source as configured, the update whose weights it took and which.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { alignment, efficiency, generalization, type Trace } from '@anira/metrics';
import { splitReport } from './data-splits.js';
import type { ExperimentConfig } from './config.js';
import type { TrainedRun } from './train-run.js';

/**
 * The fields of summary.json that come from the traces (main trace first): the
 * analysis set's in-distribution accuracy, one efficiency row per trace and the
 * headline correlations. `anira eval` rewrites them when it traces the run again.
 */
export function tracedFields(cfg: ExperimentConfig, traces: readonly Trace[]) {
  const main = traces[0];
  let spearman: number | null = null;
  let kendall: number | null = null;
  if (main) {
    try {
      // only the point estimates are kept (the report carries the CIs): 1 resample
      const a = alignment(main, { resamples: 1, seed: cfg.seed });
      spearman = a.exitDepth.spearman.statistic;
      kendall = a.exitDepth.kendall.statistic;
    } catch (e) {
      if (!AniraInputError.isInstance(e)) throw e; // else too few tokens for a correlation
    }
  }
  const inDist = main ? generalization([main]).splits.find((x) => x.split === 'in' && x.tMax === main.header.tMax) : undefined;
  return {
    analysis: inDist && inDist.tokens > 0 ? { accuracy: inDist.tokenAccuracy, exactMatch: inDist.exactMatch, examples: inDist.examples } : null,
    eval: traces.map((t) => {
      const e = efficiency(t);
      return { tMax: t.header.tMax, tokenAccuracy: e.tokenAccuracy, exactMatch: e.exactMatch, meanDepth: e.meanDepth, depthFraction: e.depthFraction, flopsRatio: e.flopsRatio };
    }),
    spearman,
    kendall,
  };
}

export function summarize(cfg: ExperimentConfig, run: TrainedRun, traces: readonly Trace[], backend: string) {
  const traced = tracedFields(cfg, traces);
  return {
    name: cfg.name,
    task: cfg.task.name,
    policy: run.policy.name,
    policySource: cfg.policy.name,
    backend,
    steps: run.steps,
    stopped: run.stopped,
    bestStep: run.bestStep ?? null,
    weightsStep: run.weightsStep,
    trainSeconds: run.seconds,
    heldOut: run.lastEval ?? null,
    analysis: traced.analysis,
    splits: splitReport(run.setup, cfg, run.steps * run.trainer.config.batchSize, run.gate?.openAt),
    ...(run.gate ? { curriculum: run.gate.summary() } : {}),
    ...(cfg.init && run.trainer.initialWeights ? { init: { from: cfg.init.from, ...run.trainer.initialWeights } } : {}),
    eval: traced.eval,
    spearman: traced.spearman,
    kendall: traced.kendall,
  };
}

/**
 * Training progress: a cli-progress bar with ETA and live loss / accuracy / depth in
 * a TTY, plain periodic lines otherwise (CI logs, pipes).
 */
import { SingleBar, Presets } from 'cli-progress';

export interface ProgressUpdate {
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly meanDepth?: number;
}

export interface ProgressReporter {
  update(u: ProgressUpdate): void;
  stop(): void;
}

const fmt = (v: number | undefined, digits: number) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/** A bar on a TTY, else one line every `every` steps and at the end. */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr, every = 25): ProgressReporter {
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | step {value}/{total} | ETA {eta_formatted} | loss {loss} | acc {acc} | depth {depth}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { loss: '-', acc: '-', depth: '-' });
    return {
      update: (u) => bar.update(u.step, { loss: fmt(u.loss, 4), acc: fmt(u.accuracy, 3), depth: fmt(u.meanDepth, 2) }),
      stop: () => bar.stop(),
    };
  }
  const start = Date.now();
  return {
    update(u) {
      if (u.step % every !== 0 && u.step !== u.totalSteps) return;
      const elapsed = (Date.now() - start) / 1000;
      const eta = u.step > 0 ? (elapsed / u.step) * (u.totalSteps - u.step) : 0;
      stream.write(
        `${label} step ${u.step}/${u.totalSteps} (${Math.round((100 * u.step) / u.totalSteps)}%) ETA ${eta.toFixed(0)}s loss ${fmt(u.loss, 4)} acc ${fmt(u.accuracy, 3)} depth ${fmt(u.meanDepth, 2)}\n`,
      );
    },
    stop() {},
  };
}

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

/** A bar on a TTY, else one line every `every` steps and at the end. The total comes from the first update. */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr, every = 25): ProgressReporter {
  if (stream.isTTY) {
    let started = false;
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | step {value}/{total} | ETA {eta_formatted} | loss {loss} | acc {acc} | depth {depth}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    return {
      update(u) {
        if (!started) {
          bar.start(u.totalSteps, u.step, { loss: '-', acc: '-', depth: '-' });
          started = true;
        }
        bar.update(u.step, { loss: fmt(u.loss, 4), acc: fmt(u.accuracy, 3), depth: fmt(u.meanDepth, 2) });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  const start = Date.now();
  let first: number | undefined;
  return {
    update(u) {
      first ??= u.step - 1;
      if (u.step % every !== 0 && u.step !== u.totalSteps) return;
      const elapsed = (Date.now() - start) / 1000;
      const done = u.step - first;
      const eta = done > 0 ? (elapsed / done) * (u.totalSteps - u.step) : 0;
      stream.write(
        `${label} step ${u.step}/${u.totalSteps} (${Math.round((100 * u.step) / u.totalSteps)}%) ETA ${eta.toFixed(0)}s loss ${fmt(u.loss, 4)} acc ${fmt(u.accuracy, 3)} depth ${fmt(u.meanDepth, 2)}\n`,
      );
    },
    stop() {},
  };
}

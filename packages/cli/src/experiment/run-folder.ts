/**
 * A run folder, the one owner of its path: the names of the files in it, opening it
 * (to write a run, to resume one, to read one), its lock, the atomic writes of its
 * files, its metrics log and its summary status. No other module joins a file name
 * onto a run folder. Every file is written atomically, so an interrupted run never
 * leaves a truncated config, checkpoint, trace or report behind.
 *
 *   config.json        the validated experiment config (a folder holds a run when it has one)
 *   metrics.jsonl      one training log entry per update (append-only)
 *   checkpoint.anira   the latest checkpoint (see docs/model.md); what --resume continues
 *   best.anira         the weights of the best held-out evaluation (evaluated and traced)
 *   .anira.lock        held while a process writes the folder (see run-lock.ts)
 *   trace.jsonl        inference trace at the training T_max (docs/metrics.md)
 *   trace-tmax-N.jsonl inference traces at other inference T_max values
 *   summary.json       headline numbers
 *   report/            index.html and standalone SVG plots
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeCheckpointFile } from '@anira/model/node';
import { UsageError } from '../errors.js';
import { appendJsonLine, fsFailure, removeStaleTempFiles, rethrowDiskFull, writeFileAtomic, writeJsonAtomic } from '../fs-atomic.js';
import { acquireRunLock, setInterruptNote } from './run-lock.js';

/** The `steps` and `stopped` of a run's summary.json. */
export interface SummaryStatus {
  readonly steps: number;
  readonly stopped: string;
}

const MAIN_TRACE = 'trace.jsonl';
const TRACE_FILE = /^trace(-tmax-\d+)?\.jsonl$/;

/** A run folder at a path (see the layout above); constructing one reads and creates nothing. */
export class RunFolder {
  /** `config.json`: the validated experiment config. */
  readonly config: string;
  /** `metrics.jsonl`: the training log, one JSON line per update. */
  readonly metrics: string;
  /** `checkpoint.anira`: the latest checkpoint. */
  readonly checkpoint: string;
  /** `best.anira`: the weights of the best held-out evaluation. */
  readonly best: string;
  /** `trace.jsonl`: the trace at the training T_max. */
  readonly trace: string;
  /** `summary.json`: the headline numbers of a finished run. */
  readonly summary: string;
  /** `report/`: the run's HTML report. */
  readonly report: string;
  /** `.anira.lock`: held while a process writes the folder. */
  readonly lockFile: string;

  constructor(readonly dir: string) {
    this.config = join(dir, 'config.json');
    this.metrics = join(dir, 'metrics.jsonl');
    this.checkpoint = join(dir, 'checkpoint.anira');
    this.best = join(dir, 'best.anira');
    this.trace = join(dir, MAIN_TRACE);
    this.summary = join(dir, 'summary.json');
    this.report = join(dir, 'report');
    this.lockFile = join(dir, '.anira.lock');
  }

  /**
   * The folder of `--resume --out <dir>` (without `--config`): a one-line usage error
   * naming it when it does not exist or holds no run.
   */
  static forResume(dir: string): RunFolder {
    const folder = new RunFolder(dir);
    if (folder.holdsRun()) return folder;
    const what = existsSync(dir) ? 'holds no run (no config.json)' : 'does not exist';
    throw new UsageError(`--resume --out ${dir}: the folder ${what}; check the path, or pass --config to start a run there`, { code: 'bad-path', field: '--out' });
  }

  /** Does the folder hold a run (a config.json)? */
  holdsRun(): boolean {
    return existsSync(this.config);
  }

  /** Does the folder hold a checkpoint? */
  hasCheckpoint(): boolean {
    return existsSync(this.checkpoint);
  }

  /** Refuse a run-folder argument that does not exist or names a file (it would fail later as ENOTDIR). */
  assertExists(): void {
    if (!existsSync(this.dir)) throw new UsageError(`run folder "${this.dir}" does not exist`, { code: 'bad-path' });
    if (!statSync(this.dir).isDirectory()) throw new UsageError(`run folder "${this.dir}" is a file, not a folder`, { code: 'bad-path' });
  }

  /** The trace at inference T_max `tMax`: `trace.jsonl` at the training T_max, else `trace-tmax-N.jsonl`. */
  traceAt(tMax: number, trainTMax: number): string {
    return tMax === trainTMax ? this.trace : join(this.dir, `trace-tmax-${tMax}.jsonl`);
  }

  /** Every trace file in the folder, the main one first. */
  traceFiles(): string[] {
    if (!existsSync(this.dir)) return [];
    const names = readdirSync(this.dir).filter((f) => TRACE_FILE.test(f));
    names.sort((a, b) => (a === MAIN_TRACE ? -1 : b === MAIN_TRACE ? 1 : a.localeCompare(b, 'en', { numeric: true })));
    return names.map((f) => join(this.dir, f));
  }

  /** Lock the folder (creating it) for this process: `RunLockedError` when another holds it. Returns the release function. */
  lock(): () => void {
    return acquireRunLock(this.dir, this.lockFile);
  }

  /**
   * Open the folder to write a run into it: lock it (creating it; a path that cannot
   * be a folder is a one-line error naming `--out`), then remove the temp files of
   * killed writes. Returns the lock's release function.
   */
  open(log: (line: string) => void): () => void {
    let release: () => void;
    try {
      release = this.lock();
    } catch (e) {
      throw fsFailure(e, `--out ${this.dir}`);
    }
    this.removeStaleTempFiles(log);
    return release;
  }

  /** Set the line Ctrl-C prints while the folder is locked (see `setInterruptNote`); returns its remover. */
  onInterrupt(note: () => string | undefined): () => void {
    return setInterruptNote(this.lockFile, note);
  }

  /** Remove the temp files of writes killed mid-write (no other writer may be at work), logging how many. */
  removeStaleTempFiles(log: (line: string) => void): string[] {
    const removed = removeStaleTempFiles(this.dir);
    if (removed.length) log(`anira: removed ${removed.length} temp file(s) left by killed writes in ${this.dir}`);
    return removed;
  }

  /** Write config.json atomically. */
  writeConfig(cfg: unknown): void {
    writeJsonAtomic(this.config, cfg);
  }

  /** Write summary.json atomically. */
  writeSummary(summary: unknown): void {
    writeJsonAtomic(this.summary, summary);
  }

  /** Write the trace at inference T_max `tMax` atomically (see `traceAt`). */
  writeTrace(tMax: number, trainTMax: number, jsonl: string): void {
    writeFileAtomic(this.traceAt(tMax, trainTMax), jsonl);
  }

  /** Write checkpoint.anira atomically (a full disk is a `DiskFullError` naming it). */
  writeCheckpoint(bytes: Uint8Array): void {
    writeCheckpointTo(this.checkpoint, bytes);
  }

  /** Write best.anira atomically (a full disk is a `DiskFullError` naming it). */
  writeBest(bytes: Uint8Array): void {
    writeCheckpointTo(this.best, bytes);
  }

  /** Replace the metrics log with `entries`, atomically (none: an empty log). */
  rewriteMetrics(entries: readonly unknown[] = []): void {
    writeFileAtomic(this.metrics, entries.map((e) => JSON.stringify(e) + '\n').join(''));
  }

  /** Append one entry to the metrics log. */
  appendMetrics(entry: unknown): void {
    appendJsonLine(this.metrics, entry);
  }

  /** The metrics log's entries, skipping a torn last line (none when there is no log). */
  readMetrics(): Record<string, unknown>[] {
    if (!existsSync(this.metrics)) return [];
    const out: Record<string, unknown>[] = [];
    for (const line of readFileSync(this.metrics, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a torn final line from an interrupted run
      }
    }
    return out;
  }

  /** summary.json, parsed (the caller knows it exists). */
  readSummary(): unknown {
    return JSON.parse(readFileSync(this.summary, 'utf8'));
  }

  /** The `steps` and `stopped` of summary.json (undefined: none, or unreadable). */
  readSummaryStatus(): SummaryStatus | undefined {
    try {
      const s = this.readSummary() as { steps?: unknown; stopped?: unknown };
      return typeof s.steps === 'number' && typeof s.stopped === 'string' ? { steps: s.steps, stopped: s.stopped } : undefined;
    } catch (e) {
      if (e instanceof SyntaxError || (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}

/** Write a checkpoint file atomically; a full disk is a `DiskFullError` naming it. */
function writeCheckpointTo(path: string, bytes: Uint8Array): void {
  try {
    writeCheckpointFile(path, bytes);
  } catch (e) {
    rethrowDiskFull(e, path);
  }
}

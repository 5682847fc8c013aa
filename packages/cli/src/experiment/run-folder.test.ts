/**
 * The run folder as the one owner of its files: paths inside the folder, the resume
 * refusal, the lock, atomic writes (no temp file left, old content kept on failure),
 * stale temp files, the metrics log and the summary status.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { RunFolder } from './run-folder.js';
import { RunLockedError } from './run-lock.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'anira-run-folder-'));
});
afterEach(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const tempFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('RunFolder files', () => {
  it('names every file inside the folder', () => {
    const f = new RunFolder(join(root, 'run'));
    const names = { config: 'config.json', metrics: 'metrics.jsonl', checkpoint: 'checkpoint.anira', best: 'best.anira', trace: 'trace.jsonl', summary: 'summary.json', report: 'report', lockFile: '.anira.lock' } as const;
    for (const [key, name] of Object.entries(names)) {
      const path = f[key as keyof typeof names];
      expect(dirname(path), key).toBe(f.dir);
      expect(basename(path), key).toBe(name);
    }
    expect(f.traceAt(8, 8)).toBe(f.trace);
    expect(f.traceAt(16, 8)).toBe(join(f.dir, 'trace-tmax-16.jsonl'));
  });

  it('lists the traces main first, then by T_max', () => {
    const f = new RunFolder(join(root, 'run'));
    expect(f.traceFiles()).toEqual([]);
    mkdirSync(f.dir);
    for (const name of ['trace-tmax-16.jsonl', 'trace-tmax-4.jsonl', 'trace.jsonl', 'metrics.jsonl', 'trace-x.jsonl']) writeFileSync(join(f.dir, name), '');
    expect(f.traceFiles().map((p) => basename(p))).toEqual(['trace.jsonl', 'trace-tmax-4.jsonl', 'trace-tmax-16.jsonl']);
  });
});

describe('RunFolder.forResume', () => {
  it('refuses a folder that holds no run, naming it', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => RunFolder.forResume(empty)).toThrow(UsageError);
    expect(() => RunFolder.forResume(empty)).toThrow(`--resume --out ${empty}: the folder holds no run (no config.json); check the path, or pass --config to start a run there`);
    expect(() => RunFolder.forResume(join(root, 'missing'))).toThrow(`--resume --out ${join(root, 'missing')}: the folder does not exist;`);
  });

  it('opens a folder holding a run', () => {
    const f = new RunFolder(join(root, 'run'));
    f.writeConfig({ name: 'x' });
    expect(RunFolder.forResume(f.dir).config).toBe(f.config);
  });

  it('refuses a missing folder or a file as a run-folder argument', () => {
    expect(() => new RunFolder(join(root, 'missing')).assertExists()).toThrow(`run folder "${join(root, 'missing')}" does not exist`);
    writeFileSync(join(root, 'file'), '');
    expect(() => new RunFolder(join(root, 'file')).assertExists()).toThrow('is a file, not a folder');
  });
});

describe('RunFolder lock', () => {
  it('refuses a second lock on the same folder until the first is released', () => {
    const dir = join(root, 'run');
    const release = new RunFolder(dir).lock();
    try {
      expect(existsSync(join(dir, '.anira.lock'))).toBe(true);
      const second = () => new RunFolder(dir).lock();
      expect(second).toThrow(RunLockedError);
      expect(second).toThrow(`run folder "${dir}" is in use by pid ${process.pid}`);
      expect(second).toThrow(`(lock file ${join(dir, '.anira.lock')}; delete it only if that process is gone)`);
    } finally {
      release();
    }
    expect(existsSync(join(dir, '.anira.lock'))).toBe(false);
    new RunFolder(dir).lock()();
  });

  it('open locks the folder and removes stale temp files, logging how many', () => {
    const f = new RunFolder(join(root, 'run'));
    mkdirSync(f.dir);
    writeFileSync(join(f.dir, `.checkpoint.anira.${deadPid()}.3.tmp`), 'partial');
    const lines: string[] = [];
    const release = f.open((line) => lines.push(line));
    try {
      expect(tempFiles(f.dir)).toEqual([]);
      expect(lines).toEqual([`anira: removed 1 temp file(s) left by killed writes in ${f.dir}`]);
      expect(() => f.lock()).toThrow(RunLockedError);
    } finally {
      release();
    }
  });

  it('open names --out when the path cannot be a folder', () => {
    writeFileSync(join(root, 'file'), '');
    expect(() => new RunFolder(join(root, 'file')).open(() => {})).toThrow(UsageError);
    expect(() => new RunFolder(join(root, 'file')).open(() => {})).toThrow(`--out ${join(root, 'file')}: `);
  });
});

describe('RunFolder writes', () => {
  it('writes whole files and leaves no temp file', () => {
    const f = new RunFolder(join(root, 'run'));
    f.writeConfig({ a: 1 });
    f.writeConfig({ a: 2 });
    f.writeSummary({ steps: 3, stopped: 'steps' });
    f.writeTrace(16, 8, 'trace\n');
    expect(JSON.parse(readFileSync(f.config, 'utf8'))).toEqual({ a: 2 });
    expect(readFileSync(join(f.dir, 'trace-tmax-16.jsonl'), 'utf8')).toBe('trace\n');
    expect(tempFiles(f.dir)).toEqual([]);
  });

  it('a failed write leaves no temp file and keeps the old content', () => {
    const f = new RunFolder(join(root, 'run'));
    // the target is a folder with content: the rename over it fails
    mkdirSync(f.summary, { recursive: true });
    writeFileSync(join(f.summary, 'keep'), 'old');
    expect(() => f.writeSummary({ steps: 1, stopped: 'steps' })).toThrow(/cannot write/);
    expect(readFileSync(join(f.summary, 'keep'), 'utf8')).toBe('old');
    expect(tempFiles(f.dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('a write into a read-only folder fails and keeps the old file', () => {
    const f = new RunFolder(join(root, 'run'));
    f.writeConfig({ a: 1 });
    chmodSync(f.dir, 0o555);
    try {
      expect(() => f.writeConfig({ a: 2 })).toThrow(/cannot write/);
    } finally {
      chmodSync(f.dir, 0o755);
    }
    expect(JSON.parse(readFileSync(f.config, 'utf8'))).toEqual({ a: 1 });
    expect(tempFiles(f.dir)).toEqual([]);
  });

  it('removes the temp files of dead writers only', () => {
    const f = new RunFolder(join(root, 'run'));
    mkdirSync(f.dir);
    const dead = `.trace.jsonl.${deadPid()}.2.tmp`;
    const mine = `.config.json.${process.pid}.1.tmp`;
    for (const name of [dead, mine, 'notes.tmp']) writeFileSync(join(f.dir, name), 'x');
    const lines: string[] = [];
    expect(f.removeStaleTempFiles((line) => lines.push(line))).toEqual([dead]);
    expect(readdirSync(f.dir).sort()).toEqual([mine, 'notes.tmp'].sort());
    expect(lines).toHaveLength(1);
    expect(f.removeStaleTempFiles((line) => lines.push(line))).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

describe('RunFolder metrics log and summary', () => {
  it('rewrites, appends and reads the metrics log, skipping a torn last line', () => {
    const f = new RunFolder(join(root, 'run'));
    expect(f.readMetrics()).toEqual([]);
    f.rewriteMetrics();
    expect(readFileSync(f.metrics, 'utf8')).toBe('');
    f.appendMetrics({ step: 1, loss: 2 });
    f.appendMetrics({ step: 2, loss: 1 });
    writeFileSync(f.metrics, readFileSync(f.metrics, 'utf8') + '{"step": 3, "lo');
    expect(f.readMetrics()).toEqual([{ step: 1, loss: 2 }, { step: 2, loss: 1 }]);
    f.rewriteMetrics(f.readMetrics().slice(0, 1));
    expect(readFileSync(f.metrics, 'utf8')).toBe('{"step":1,"loss":2}\n');
  });

  it('reads the summary status: none for a missing, torn or partial summary', () => {
    const f = new RunFolder(join(root, 'run'));
    expect(f.readSummaryStatus()).toBeUndefined();
    f.writeSummary({ name: 'x', steps: 5, stopped: 'patience' });
    expect(f.readSummaryStatus()).toEqual({ steps: 5, stopped: 'patience' });
    writeFileSync(f.summary, '{"steps": 5, "sto');
    expect(f.readSummaryStatus()).toBeUndefined();
    f.writeSummary({ steps: 5 });
    expect(f.readSummaryStatus()).toBeUndefined();
  });
});
